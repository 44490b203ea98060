#!/bin/bash
# .deb postinst (electron-builder template: ${executable} and ${sanitizedProductName} are filled in at
# packaging time; shell variables here are written $NAME, never with braces).
# dpkg itself installs /usr/bin/sevenstick (the CLI wrapper), /usr/lib/sevenstick/sevenstick-helper
# (the launcher pkexec runs) and /usr/share/polkit-1/actions/org.sevenstick.helper.policy; polkitd
# notices the new action by itself. What is left to do here:
APPDIR='/opt/${sanitizedProductName}'

# Chromium's sandbox: SUID helper only where unprivileged user namespaces don't work.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; } 2>/dev/null; then
  chmod 4755 "$APPDIR/chrome-sandbox" || true
else
  chmod 0755 "$APPDIR/chrome-sandbox" || true
fi

# The launcher and the CLI wrapper must be root-owned and not writable by anyone else (pkexec runs it as root).
chown root:root /usr/lib/sevenstick/sevenstick-helper /usr/bin/sevenstick 2>/dev/null || true
chmod 0755 /usr/lib/sevenstick/sevenstick-helper /usr/bin/sevenstick 2>/dev/null || true

if hash update-mime-database 2>/dev/null; then
  update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24.04+ restricts unprivileged user namespaces through AppArmor: install the profile
# electron-builder ships in resources/ when this AppArmor understands it.
if apparmor_status --enabled >/dev/null 2>&1; then
  PROFILE_SRC="$APPDIR/resources/apparmor-profile"
  PROFILE_DST='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$PROFILE_SRC" >/dev/null 2>&1; then
    cp -f "$PROFILE_SRC" "$PROFILE_DST"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$PROFILE_DST" || true
    fi
  fi
fi
exit 0
