/// <reference types="vite/client" />

/** When this build was made (vite.config.ts): data kept on the device by another build is not trusted to fit. */
declare const __JANE_BUILD__: string;
