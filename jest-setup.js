// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom leaves out MessageChannel, which React's scheduler and react-dom's server build (loaded by @grafana/ui, hence
// by @grafana/scenes) take at load. A channel of timers: Node's own would keep Jest from exiting once a listener is set.
if (typeof global.MessageChannel === 'undefined') {
  class TimerMessagePort {
    onmessage = null;
    other = null;
    postMessage(data) {
      setTimeout(() => this.other?.onmessage?.({ data }), 0);
    }
    start() {}
    close() {}
  }
  class TimerMessageChannel {
    constructor() {
      this.port1 = new TimerMessagePort();
      this.port2 = new TimerMessagePort();
      this.port1.other = this.port2;
      this.port2.other = this.port1;
    }
  }
  Object.assign(global, { MessageChannel: TimerMessageChannel });
}

// jsdom has no IntersectionObserver; @grafana/scenes' lazy loader constructs one at load. Nothing here scrolls.
if (typeof global.IntersectionObserver === 'undefined') {
  class NoIntersectionObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  Object.assign(global, { IntersectionObserver: NoIntersectionObserver });
}
