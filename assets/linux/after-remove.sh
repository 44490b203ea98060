#!/bin/bash
# .deb postrm (electron-builder template, see after-install.sh). dpkg removes the files it installed
# (CLI wrapper, launcher, polkit action); this unloads the AppArmor profile postinst may have added.
PROFILE='/etc/apparmor.d/${executable}'
if [ -f "$PROFILE" ]; then
  if apparmor_status --enabled >/dev/null 2>&1 && hash apparmor_parser 2>/dev/null; then
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --remove "$PROFILE" || true
    fi
  fi
  rm -f "$PROFILE"
fi
if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi
exit 0
