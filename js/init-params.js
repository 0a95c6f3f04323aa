// The table's init-able params (js/ops.js: `init: true`, the smooth family's precision): a
// call that does not give one takes init()'s option of the same name, else the param's own
// default. Only the rows that have such a param bring this module in (js/public.js hands their
// kind to initParams; createApi does the same), so a page whose ops have none carries none of
// it: its init() then knows no such option.
//
// For an instance it wraps init(): the options are read once; those the instance's init-able
// params name are checked by the param's rule and taken out, the rest checked as the
// instance's own init() (js/core.js) checks them, which then gets them. A call that starts the
// module sets the values; a later init() asking for another value than the one the running (or
// loading) module got is an error, as one asking for another wasmBinary. The value is applied
// when the ops are bound to the loaded module: each op's default is set then, once, so a call
// costs nothing more.
import { INIT_OPTIONS, readInitOptions } from './core.js';
import { paramSpec, paramValue } from './args.js';
import { DTYPES } from './dtypes.js';

// Per instance: its init-able params by name (the row's param), the values the running (or
// loading) module was started with (absent: the param's default), and that start's promise
// (null again once it failed, as the instance's own: a later init() starts afresh).
const instances = new WeakMap();

/** The instance's init() with its init-able params, installed once. */
function state(api) {
  let s = instances.get(api);
  if (s !== undefined) return s;
  s = { params: {}, chosen: {}, pending: null };
  instances.set(api, s);
  const init = api.init;
  const value = (k) => s.chosen[k] ?? s.params[k].default;
  const show = (v) => (typeof v === 'string' ? `'${v}'` : String(v));
  api.init = (options = {}, ...rest) => {
    // (Not an object: the instance's init() says so.)
    if (options === null || typeof options !== 'object') return init(options, ...rest);
    const own = {}; // the init-able params' options
    const others = {};
    const accepted = [...INIT_OPTIONS, ...Object.keys(s.params)];
    try {
      for (const k of Object.keys(options)) {
        if (!accepted.includes(k)) throw new TypeError(`init: unknown option '${k}' (accepted: ${accepted.join(', ')})`);
        const v = options[k]; // each read once
        if (s.params[k] === undefined) others[k] = v;
        else if (v !== undefined) {
          paramValue(paramSpec({ ...s.params[k], name: `options.${k}` }), v, DTYPES.f64, 'init', false); // (throws what is wrong)
          own[k] = v;
        }
      }
      readInitOptions(others); // (throws what is wrong: a call that fails here starts nothing)
    } catch (e) {
      return Promise.reject(e);
    }
    const wrong = Object.keys(own).find((k) => own[k] !== value(k));
    if (s.pending !== null && wrong !== undefined) {
      return Promise.reject(new Error(`relu-wasm: init({ ${wrong}: ${show(own[wrong])} }), but the module is ${api.variant !== null ? 'loaded' : 'loading'} with ${wrong} ${show(value(wrong))}; call init() once, with the options you want`));
    }
    const p = init(others, ...rest);
    if (s.pending === null) {
      // This call starts the module: the ops bind to it with these values (bind(), below).
      s.pending = p;
      s.chosen = own;
      p.catch(() => {
        if (s.pending === p) s.pending = null; // (after the instance's own: it failed, a later init() starts again)
      });
    }
    return p;
  };
  return s;
}

/**
 * The kind record `kind` for a row with init-able params on the instance `api`: its ops take
 * their defaults from the instance's init() options when they are bound (the kind's maker
 * exposes the op's param specs and guard values: js/kinds/map.js).
 */
export function initParams(api, kind) {
  const s = state(api);
  return {
    ...kind,
    make(ctx, row) {
      const m = kind.make(ctx, row, kind);
      const at = row.params.flatMap((p, i) => (p.init ? [i] : []));
      for (const i of at) s.params[row.params[i].name] = row.params[i];
      return {
        op: m.op,
        bind(fn) {
          for (const i of at) {
            const p = row.params[i];
            m.params[i].default = m.values[i] = paramValue(m.params[i], s.chosen[p.name] ?? p.default, DTYPES.f64, row.name, false);
          }
          m.bind(fn);
        },
      };
    },
  };
}
