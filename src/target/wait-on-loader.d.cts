import type waitOn from 'wait-on';

export declare function loadWaitOn(): typeof waitOn;
