// Loads the prebuilt binary of this platform (one of the optionalDependencies).
module.exports = require(`@polyglot-sdk/node-${process.platform}-${process.arch}`);
