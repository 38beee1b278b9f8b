import { isMacPlatform } from './keyboard.js';

export const IS_MAC = isMacPlatform(typeof navigator === 'undefined' ? undefined : navigator);
