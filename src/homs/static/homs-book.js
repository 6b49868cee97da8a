// The course book's page script: draws every homs widget on the page with homs-widgets.js (the
// same front-end module JupyterLab runs through anywidget), each with a model that lives in the
// page, so questions check and explain, excerpts toggle their layers and the timeline changes
// with no kernel and no network. A classic script, so that pages opened from file:// work.
//
// homs-widgets.classic.js (made from homs-widgets.js by the book's build) must load first; it
// sets window.HomsWidgets.
(function () {
  "use strict";

  // What anywidget's model offers a view: get, set (which tells the view's own listeners),
  // save_changes, on, off and send. Here nothing is sent anywhere.
  function pageModel(state) {
    const listeners = {};
    return {
      get: (name) => state[name],
      set(name, value) {
        state[name] = value;
        for (const callback of listeners[`change:${name}`] || []) callback();
      },
      save_changes() {},
      send() {},
      on(event, callback) {
        (listeners[event] = listeners[event] || []).push(callback);
      },
      off(event, callback) {
        listeners[event] = (listeners[event] || []).filter((c) => c !== callback);
      },
    };
  }

  function draw(el) {
    if (el.dataset.homsReady) return;
    let state;
    try {
      state = JSON.parse(el.dataset.homsState);
    } catch (error) {
      el.dataset.homsReady = "error";
      throw new Error(`homs: a widget's state is not JSON: ${error}`);
    }
    el.replaceChildren();
    window.HomsWidgets.render({ model: pageModel(state), el });
    el.dataset.homsReady = "true";
  }

  function drawAll(root) {
    for (const el of (root || document).querySelectorAll(".homs-widget[data-homs-state]")) draw(el);
  }

  // On paper every closed box is opened (the answers a reader clicked open stay as they were
  // on screen afterwards).
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("details:not([open])")];
    for (const d of opened) d.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const d of opened) d.open = false;
    opened = [];
  });

  window.HomsBook = { drawAll, pageModel };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => drawAll());
  else drawAll();
})();
