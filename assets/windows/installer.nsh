; NSIS include for SevenStick's Windows installer (electron-builder.config.cjs: nsis.include).
; "Open with SevenStick" for .iso and .img files WITHOUT taking them over: Explorer keeps its own
; default (double-clicking an ISO still mounts it); SevenStick is added to the file types' Open with
; list only (OpenWithProgids + Applications\<exe>\SupportedTypes). electron-builder's fileAssociations
; would make SevenStick the default handler, so Windows doesn't use them.
; SHCTX is HKCU for a per-user install and HKLM for a per-machine one (the installer sets the context).

!define SEVENSTICK_PROGID "SevenStick.DiskImage"

!macro customInstall
  WriteRegStr SHCTX "Software\Classes\${SEVENSTICK_PROGID}" "" "Disk image"
  WriteRegStr SHCTX "Software\Classes\${SEVENSTICK_PROGID}" "FriendlyTypeName" "Disk image"
  WriteRegStr SHCTX "Software\Classes\${SEVENSTICK_PROGID}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHCTX "Software\Classes\${SEVENSTICK_PROGID}\shell\open" "FriendlyAppName" "SevenStick"
  WriteRegStr SHCTX "Software\Classes\${SEVENSTICK_PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  WriteRegStr SHCTX "Software\Classes\.iso\OpenWithProgids" "${SEVENSTICK_PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\.img\OpenWithProgids" "${SEVENSTICK_PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}" "FriendlyAppName" "SevenStick"
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}\SupportedTypes" ".iso" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}\SupportedTypes" ".img" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  ; SHCNE_ASSOCCHANGED: Explorer re-reads the associations now.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  DeleteRegValue SHCTX "Software\Classes\.iso\OpenWithProgids" "${SEVENSTICK_PROGID}"
  DeleteRegValue SHCTX "Software\Classes\.img\OpenWithProgids" "${SEVENSTICK_PROGID}"
  DeleteRegKey SHCTX "Software\Classes\${SEVENSTICK_PROGID}"
  DeleteRegKey SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
