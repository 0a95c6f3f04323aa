// Embind registers every builtin C++ type at start-up, and each registration pulls its JS into
// the loader (UTF-8/16/32 strings, emval handles, typed-memory views, float and bigint
// conversions): 1.7 KB of the minified loader, gzipped (with the full runtime). cpp/bindings.cpp binds functions of
// integers and bool only, so the registrations of the others do nothing here. A binding of
// another type would fail loudly at start-up (Embind: "unbound types"), never silently.
mergeInto(LibraryManager.library, {
  _embind_register_std_string: function () {},
  _embind_register_std_wstring: function () {},
  _embind_register_emval: function () {},
  _embind_register_memory_view: function () {},
  _embind_register_float: function () {},
  _embind_register_bigint: function () {},
  // emval's handle table, which only emval values use.
  $init_emval: function () {},
});
