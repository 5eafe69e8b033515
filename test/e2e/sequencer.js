// The e2e files build on each other (1-loop, 2-ops, 3-retire): run them in name order.
const Sequencer = require('@jest/test-sequencer').default;
module.exports = class ByName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
};
