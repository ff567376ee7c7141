// wait-on (with axios, joi and lodash) costs more start-up time than the rest of the action together.
// A require() inside a function is bundled lazily, so only runs that wait on an HTTP server pay for it;
// an ESM import, even a dynamic one, would be evaluated at start-up once the bundle inlines it.
import type waitOn from 'wait-on';

export function loadWaitOn(): typeof waitOn {
  return require('wait-on') as typeof waitOn;
}
