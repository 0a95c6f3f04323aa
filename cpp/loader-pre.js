// Emscripten's minimal runtime instantiates Module.wasm with WebAssembly.instantiate, which
// takes bytes. js/core.js always hands it a compiled module instead (small ones compile
// synchronously, large ones streaming, and a user's wasmBinary may be one), so within the
// loader `WebAssembly` is this: it instantiates that module and hands the instance to
// Module.instantiated, or its error (an import mismatch: not a build of this version) to
// Module.failed, which js/core.js races against the loader's promise.
var WebAssembly = {
  instantiate: function (module, imports) {
    try {
      var instance = new globalThis.WebAssembly.Instance(module, imports);
      Module['instantiated'](instance);
      return Promise.resolve({ instance: instance, module: module });
    } catch (e) {
      Module['failed'](e);
      return new Promise(function () {});
    }
  },
};
// Emscripten 3.1.6's minimal runtime assigns `asm` without declaring it: an error in an ES
// module (strict mode).
var asm;
