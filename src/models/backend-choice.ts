/** The TF.js backend names a user can choose (light: the option specs import it without TF.js). */
export type BackendChoice = 'auto' | 'gpu' | 'native' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'gpu', 'native', 'wasm', 'cpu'];
