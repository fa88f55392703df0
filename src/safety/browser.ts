// The guard as the browser gets it: esbuild bundles this file (with libphonenumber-js) into one script,
// window.CurbsideSafety, so that the live warning finds exactly what the server's review finds.
export { EMERGENCY_GUIDANCE, findEmergencySigns } from "./emergency.ts";
export { findIdentifyingDetails, IDENTIFYING_LABELS, REMOVED, removeIdentifyingDetails } from "./identifying.ts";
