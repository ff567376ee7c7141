// wait-on (with axios, joi and lodash) costs more start-up time than the rest of the action together.
// A require inside a function is bundled lazily, so only runs that wait on an HTTP server pay for it;
// an ESM dynamic import would be evaluated at start-up once the bundle inlines it.
exports.loadWaitOn = () => require('wait-on');
