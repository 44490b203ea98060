/** The e2e specs against the built renderer in Debian's Chromium, with the real handlers behind a shim. */
import { launch } from './host.js';
import { defineSpecs } from './specs.js';

defineSpecs(launch, { id: 'chromium', canDrop: true });
