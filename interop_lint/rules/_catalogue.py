"""Generated from the rule classes by `python -m interop_lint.rules.docs`."""

# fmt: off
RULES = [{'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for Cargo dependencies whose version is not '
                                   'constrained: `*`, no\n'
                                   'version at all (and no path, git or workspace source), or a '
                                   'range with no\n'
                                   'upper bound such as `>= 1.2`. Every dependency table is '
                                   'checked:\n'
                                   '`[dependencies]`, dev and build dependencies, target-specific '
                                   'tables,\n'
                                   '`[workspace.dependencies]` and `[patch.*]`.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'The Rust crate is linked into a Go program as a C library. '
                                   'When a\n'
                                   'dependency can move to any future release, a fresh resolve (a '
                                   'new lock\n'
                                   'file, `cargo update`, a build without the lock) can pull a '
                                   'release that\n'
                                   'changes behaviour or the layout of types that cross the '
                                   'boundary, and\n'
                                   'nobody on the Go side sees it happen.\n'
                                   '\n'
                                   '## Example\n'
                                   '```toml\n'
                                   '[dependencies]\n'
                                   'libc = "*"\n'
                                   'serde = ">= 1.0"\n'
                                   'bytes = { features = ["std"] }\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```toml\n'
                                   '[dependencies]\n'
                                   'libc = "0.2.155"\n'
                                   'serde = ">= 1.0, < 2"\n'
                                   'bytes = { version = "1.6", features = ["std"] }\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP101.md',
                  'id': 'DEP101',
                  'level': 'warning',
                  'name': 'cargo-unpinned-version',
                  'precision': 'very-high',
                  'security_severity': None,
                  'summary': 'Checks for Cargo dependencies whose version is not constrained: `*`, '
                             'no version at all (and no path, git or workspace source), or a range '
                             'with no upper bound such as `>= 1.2`.',
                  'tags': ['external/cwe/cwe-1104']},
  'file_kinds': ['cargo-toml'],
  'id': 'DEP101',
  'module': 'interop_lint.rules.deps.dep101_cargo_unpinned_version',
  'qualname': 'CargoUnpinnedVersion'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for git dependencies (in any dependency table, '
                                   '`[patch.*]` included)\n'
                                   'that do not name a commit with `rev`: they follow a branch, a '
                                   'tag, or the\n'
                                   "repository's default branch.\n"
                                   '\n'
                                   '## Why is this bad?\n'
                                   'A branch moves with every push, and a tag can be deleted and '
                                   're-created.\n'
                                   'The same Cargo.toml then builds different code on different '
                                   'days, and the\n'
                                   'C library the Go side links changes without a change in this '
                                   'repository.\n'
                                   'Only a commit hash names one fixed tree.\n'
                                   '\n'
                                   '## Example\n'
                                   '```toml\n'
                                   '[dependencies]\n'
                                   'ffi-support = { git = '
                                   '"https://github.com/example/ffi-support", branch = "main" }\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```toml\n'
                                   '[dependencies]\n'
                                   'ffi-support = { git = '
                                   '"https://github.com/example/ffi-support", rev = "9f3c2a1" }\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP102.md',
                  'id': 'DEP102',
                  'level': 'warning',
                  'name': 'cargo-git-unpinned',
                  'precision': 'very-high',
                  'security_severity': None,
                  'summary': 'Checks for git dependencies (in any dependency table, `[patch.*]` '
                             'included) that do not name a commit with `rev`: they follow a '
                             "branch, a tag, or the repository's default branch.",
                  'tags': ['external/cwe/cwe-1104']},
  'file_kinds': ['cargo-toml'],
  'id': 'DEP102',
  'module': 'interop_lint.rules.deps.dep102_cargo_git_unpinned',
  'qualname': 'CargoGitUnpinned'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks that a crate built as a C library for Go (`crate-type` '
                                   'containing\n'
                                   '`staticlib` or `cdylib`) has a `Cargo.lock` in its directory '
                                   'or at the root\n'
                                   "of its workspace. A crate the workspace's `exclude` leaves out "
                                   'is not a\n'
                                   "member: the root's lock does not pin it.\n"
                                   '\n'
                                   '## Why is this bad?\n'
                                   "A library crate's lock file is often left out of version "
                                   'control, but a\n'
                                   '`staticlib` or `cdylib` is a final artifact: the Go program '
                                   'links exactly\n'
                                   'what it was built from. Without a lock file every build '
                                   'resolves its\n'
                                   'dependencies afresh, so two builds of the same commit can link '
                                   'different\n'
                                   'code.\n'
                                   '\n'
                                   '## Example\n'
                                   '```toml\n'
                                   '# crates/engine/Cargo.toml, with no Cargo.lock next to it or '
                                   'at the workspace root\n'
                                   '[lib]\n'
                                   'crate-type = ["staticlib"]\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```sh\n'
                                   'cargo generate-lockfile && git add Cargo.lock\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP103.md',
                  'id': 'DEP103',
                  'level': 'warning',
                  'name': 'cargo-lock-missing',
                  'precision': 'very-high',
                  'security_severity': None,
                  'summary': 'Checks that a crate built as a C library for Go (`crate-type` '
                             'containing `staticlib` or `cdylib`) has a `Cargo.lock` in its '
                             'directory or at the root of its workspace.',
                  'tags': ['external/cwe/cwe-1104']},
  'file_kinds': ['cargo-toml'],
  'id': 'DEP103',
  'module': 'interop_lint.rules.deps.dep103_cargo_lock_missing',
  'qualname': 'CargoLockMissing'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks that a crate built as a C library for Go (`staticlib` '
                                   'or `cdylib`)\n'
                                   'builds with a pinned compiler: a `rust-toolchain.toml` (or '
                                   'legacy\n'
                                   '`rust-toolchain`) file in its directory or a parent up to the '
                                   'project root,\n'
                                   'naming a version (`1.82.0`) or a dated channel '
                                   '(`nightly-2024-11-01`)\n'
                                   'rather than `stable`, `beta` or `nightly`.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'What the compiler does at the boundary changes between '
                                   'releases: since Rust\n'
                                   '1.81 a panic that reaches an `extern "C"` function aborts the '
                                   'process\n'
                                   'instead of unwinding, lints and layout optimisations change, '
                                   'and a nightly\n'
                                   'feature can disappear. A floating toolchain makes the library '
                                   'the Go\n'
                                   'program links depend on the day and machine it was built on.\n'
                                   '\n'
                                   '## Example\n'
                                   '```toml\n'
                                   '# rust-toolchain.toml\n'
                                   '[toolchain]\n'
                                   'channel = "stable"\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```toml\n'
                                   '# rust-toolchain.toml\n'
                                   '[toolchain]\n'
                                   'channel = "1.82.0"\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP104.md',
                  'id': 'DEP104',
                  'level': 'note',
                  'name': 'rust-toolchain-unpinned',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks that a crate built as a C library for Go (`staticlib` or '
                             '`cdylib`) builds with a pinned compiler: a `rust-toolchain.toml` (or '
                             'legacy `rust-toolchain`) file in its directory or a parent up to the '
                             'project root, naming a version (`1.82.0`) or a dated channel '
                             '(`nightly-2024-11-01`) rather than `stable`, `beta` or `nightly`.',
                  'tags': ['external/cwe/cwe-1104']},
  'file_kinds': ['cargo-toml', 'rust-toolchain'],
  'id': 'DEP104',
  'module': 'interop_lint.rules.deps.dep104_rust_toolchain_unpinned',
  'qualname': 'RustToolchainUnpinned'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for `replace` directives in go.mod that point a module '
                                   'at a\n'
                                   'directory on disk (`=> ../bindings`, `=> ./third_party/x`, `=> '
                                   '/opt/x`).\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'A local replacement builds only in a checkout where that '
                                   'directory exists\n'
                                   'and holds the right code: CI, other developers and `go '
                                   'install` users see a\n'
                                   'different module or a failed build. For Go bindings of a Rust '
                                   'library it\n'
                                   'also hides which version of the binding the program really '
                                   'links.\n'
                                   '\n'
                                   '## Example\n'
                                   '```\n'
                                   'replace example.com/ffi/bindings => ../bindings\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```\n'
                                   'replace example.com/ffi/bindings => example.com/ffi/bindings '
                                   'v1.4.2\n'
                                   '```\n'
                                   'For local development across modules, use a `go.work` file '
                                   'that is not\n'
                                   'committed.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP105.md',
                  'id': 'DEP105',
                  'level': 'warning',
                  'name': 'go-mod-replace-local',
                  'precision': 'very-high',
                  'security_severity': None,
                  'summary': 'Checks for `replace` directives in go.mod that point a module at a '
                             'directory on disk (`=> ../bindings`, `=> ./third_party/x`, `=> '
                             '/opt/x`).',
                  'tags': ['external/cwe/cwe-1104']},
  'file_kinds': ['go-mod'],
  'id': 'DEP105',
  'module': 'interop_lint.rules.deps.dep105_go_mod_replace_local',
  'qualname': 'GoModReplaceLocal'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks that a go.mod with `require` directives has a go.sum '
                                   'beside it.\n'
                                   'Requirements replaced by a local directory need no checksum '
                                   'and do not\n'
                                   'count.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'go.sum holds the checksums of every required module. Without '
                                   'it the build\n'
                                   'downloads whatever the module proxy serves and trusts it, and\n'
                                   '`go build` in module mode fails with "missing go.sum entry" on '
                                   'a clean\n'
                                   'machine. Either way the Go side of the boundary is not '
                                   'reproducible.\n'
                                   '\n'
                                   '## Example\n'
                                   '```\n'
                                   'module example.com/service\n'
                                   '\n'
                                   'require example.com/ffi/bindings v1.4.2\n'
                                   '```\n'
                                   'with no go.sum committed next to go.mod.\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```sh\n'
                                   'go mod tidy && git add go.sum\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP106.md',
                  'id': 'DEP106',
                  'level': 'warning',
                  'name': 'go-sum-missing',
                  'precision': 'very-high',
                  'security_severity': None,
                  'summary': 'Checks that a go.mod with `require` directives has a go.sum beside '
                             'it.',
                  'tags': ['external/cwe/cwe-353']},
  'file_kinds': ['go-mod'],
  'id': 'DEP106',
  'module': 'interop_lint.rules.deps.dep106_go_sum_missing',
  'qualname': 'GoSumMissing'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for `panic = "abort"` in a Cargo profile of a crate '
                                   'whose exported\n'
                                   'functions guard their bodies with `std::panic::catch_unwind`, '
                                   'written in\n'
                                   'the export or through a guard helper of the crate (`invoke(|| '
                                   '..)` where\n'
                                   '`invoke` runs its closure under `catch_unwind`, a '
                                   '`macro_rules!` macro that\n'
                                   'expands to it, `catch_err! { .. }`, or a configured '
                                   '`panic-guards` function).\n'
                                   'A profile in a workspace root applies to every member crate; a '
                                   "member's\n"
                                   "own profiles are ignored by cargo, and a crate the root's "
                                   '`exclude` leaves\n'
                                   'out is a workspace of its own. When the\n'
                                   'manifest has a custom profile that sets `panic = "unwind"`\n'
                                   '(`[profile.release-with-panic-unwind]`), that is the one the '
                                   'library is\n'
                                   'built with, and only `dev` and `release` are checked. `test` '
                                   'and `bench`\n'
                                   'never are: Cargo ignores their `panic` setting.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   '`catch_unwind` only catches a panic that unwinds. With `panic '
                                   '= "abort"` a\n'
                                   'panic never unwinds: the guard is dead code and every panic in '
                                   'an export\n'
                                   'kills the Go process that called it, goroutines, open '
                                   'connections and all.\n'
                                   'The guard says the authors wanted the opposite.\n'
                                   '\n'
                                   '## Example\n'
                                   '```toml\n'
                                   '[profile.release]\n'
                                   'panic = "abort"\n'
                                   '```\n'
                                   'with an export such as\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_run() -> i32 {\n'
                                   '    std::panic::catch_unwind(|| run()).unwrap_or(-1)\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```toml\n'
                                   '[profile.release]\n'
                                   'panic = "unwind"  # the default: leave it out\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP107.md',
                  'id': 'DEP107',
                  'level': 'warning',
                  'name': 'cargo-panic-abort',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks for `panic = "abort"` in a Cargo profile of a crate whose '
                             'exported functions guard their bodies with '
                             '`std::panic::catch_unwind`, written in the export or through a guard '
                             'helper of the crate (`invoke(|| ..)` where `invoke` runs its closure '
                             'under `catch_unwind`, a `macro_rules!` macro that expands to it, '
                             '`catch_err! { ..',
                  'tags': ['external/cwe/cwe-755']},
  'file_kinds': ['cargo-toml'],
  'id': 'DEP107',
  'module': 'interop_lint.rules.deps.dep107_cargo_panic_abort',
  'qualname': 'CargoPanicAbort'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks `#cgo` directives (`CFLAGS`, `LDFLAGS`, `CPPFLAGS`, '
                                   '...) in cgo\n'
                                   'preambles for absolute paths that are not under `${SRCDIR}`:\n'
                                   '`-L/opt/engine/lib`, `-I/home/me/engine/include`, '
                                   '`-Wl,-rpath,/opt/x`, or a\n'
                                   'bare `/opt/x/libengine.a`.\n'
                                   '\n'
                                   "The standard directories of a platform's package manager are "
                                   'not one\n'
                                   "machine's layout and are left alone: `/usr/include`, "
                                   '`/usr/lib`,\n'
                                   "`/usr/local/include`, `/usr/local/lib`, Homebrew's "
                                   '`/opt/homebrew/include`\n'
                                   "and `/opt/homebrew/lib`, MacPorts' `/opt/local/...`, pkgsrc's "
                                   '`/usr/pkg/...`\n'
                                   "(the directories themselves, not a project's folder below "
                                   'them).\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   "The build then depends on one machine's layout: it works where "
                                   'the Rust\n'
                                   'library happened to be installed there and fails, or silently '
                                   'links a\n'
                                   'different library, everywhere else. `${SRCDIR}` (the directory '
                                   'of the Go\n'
                                   'file) makes the path relative to the checkout.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   '// #cgo LDFLAGS: -L/home/ci/engine/target/release -lengine\n'
                                   'import "C"\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   '// #cgo LDFLAGS: -L${SRCDIR}/../engine/target/release '
                                   '-lengine\n'
                                   'import "C"\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/DEP108.md',
                  'id': 'DEP108',
                  'level': 'warning',
                  'name': 'cgo-absolute-path-flags',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks `#cgo` directives (`CFLAGS`, `LDFLAGS`, `CPPFLAGS`, ...) in '
                             'cgo preambles for absolute paths that are not under `${SRCDIR}`: '
                             '`-L/opt/engine/lib`, `-I/home/me/engine/include`, '
                             '`-Wl,-rpath,/opt/x`, or a bare `/opt/x/libengine.a`.',
                  'tags': ['external/cwe/cwe-427']},
  'file_kinds': ['go'],
  'id': 'DEP108',
  'module': 'interop_lint.rules.deps.dep108_cgo_absolute_path_flags',
  'qualname': 'CgoAbsolutePathFlags'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks that C memory allocated from Go (`C.CString`, '
                                   '`C.CBytes`, `C.malloc`,\n'
                                   '`C.calloc`) is freed in the function that allocates it, with '
                                   '`C.free`\n'
                                   '(directly, deferred, or in a deferred closure), a C function '
                                   'whose name says\n'
                                   'it frees (`C.duckdb_free`, `C.g_free`, `C.xmlFree`, '
                                   '`C.lib_string_release`: a\n'
                                   'free, release, dealloc, destroy or dispose word first, after '
                                   'the library\n'
                                   'prefix, or last) or a configured `free-functions` entry, '
                                   'unless it escapes the\n'
                                   'function: returned, stored in a field, an element, a map key '
                                   'or a global, sent\n'
                                   'on a channel, captured by a closure that is returned or '
                                   'stored, or passed to a\n'
                                   'configured `ownership-taking` function. Package functions that '
                                   'free or keep\n'
                                   'their parameter count as well (`freeCString(cs)`, '
                                   '`b.adopt(p)`), and so do\n'
                                   'methods of the package that free their receiver (`defer '
                                   'v.Free()` with `func\n'
                                   '(v *Val) Free() { C.free(unsafe.Pointer(v)) }`, resolved by '
                                   "the receiver's\n"
                                   "type). An element of an array or slice of the function's own "
                                   '(`args[0] =\n'
                                   'unsafe.Pointer(C.CString(s))`) is no escape while the array is '
                                   'only written,\n'
                                   'read by element, measured and handed to C as `&args[0]`: the '
                                   'allocation is\n'
                                   'then freed only if an element read frees it (or a C function '
                                   'whose name says\n'
                                   'it frees gets the array). So is a field of a struct variable '
                                   "of the function's\n"
                                   "own (`arg.name = C.CString(s)`, or a C union's member written "
                                   'through\n'
                                   "`*(**C.char)(unsafe.Pointer(&obj.value[0])) = cs`, cgo's "
                                   'spelling of a union:\n'
                                   'the Dart_CObject idiom) while the struct is only read for its '
                                   'fields or its\n'
                                   'address handed to a C call.\n'
                                   '\n'
                                   'A C call that is also given a free function as a value, the '
                                   'destructor the\n'
                                   'library calls when it is done (`sqlite3_bind_text(s, i, cs, '
                                   'n,\n'
                                   '(*[0]byte)(C.free))`, or a preamble function that frees its '
                                   'argument, or a\n'
                                   'local set to one), takes the allocation.\n'
                                   '\n'
                                   '`var p = C.malloc(n)` and the two-value form `p, err := '
                                   'C.calloc(n, size)`\n'
                                   'hold the allocation like `p := C.malloc(n)`. A C function '
                                   'defined in a\n'
                                   'preamble of the package takes ownership of a parameter that '
                                   'its body frees\n'
                                   'or passes on with `free` as the destructor '
                                   '(`lib_result_text(ctx, s, -1,\n'
                                   '&free)`).\n'
                                   '\n'
                                   "A deferred call's arguments are evaluated at the `defer`: a\n"
                                   '`defer C.free(unsafe.Pointer(cs))` above `cs = C.CString(s)` '
                                   'frees nil, and\n'
                                   'the allocation is reported (a deferred closure does free it).\n'
                                   '\n'
                                   'A package function that returns a C allocation it makes '
                                   '(`return\n'
                                   'C.CString(s), nil`, and `nil` or that allocation on every '
                                   '`return`) hands it\n'
                                   'to its caller: each call of it (`cs, err := ffiSerialize(v)`) '
                                   'is an\n'
                                   'allocation the caller must free or hand on. One that returns '
                                   'with it a\n'
                                   'closure that frees it (`return cs, func() { freeString(cs) }`) '
                                   'asks the\n'
                                   'caller to call that: `cs, free := toCString(v)` leaks when '
                                   '`free` is dropped\n'
                                   '(`cs, _ :=`) or called only after a `return` that can leave '
                                   'first.\n'
                                   '\n'
                                   'An allocation used only as a call argument '
                                   '(`C.engine_log(C.CString(msg))`)\n'
                                   'always leaks, unless the function takes ownership.\n'
                                   '\n'
                                   'A function that frees the allocation, or lets it escape, only '
                                   'after a `return`\n'
                                   'that can leave first (`if err := check(); err != nil { return '
                                   'err }` above\n'
                                   'the `defer C.free(..)`, `if C.run(cs) != 0 { return errRun }` '
                                   'above\n'
                                   '`C.free(..)`), or that frees it in some branches of an `if` or '
                                   '`switch` and\n'
                                   'returns from another that does not (`case 0: C.free(..); '
                                   'return errA` beside\n'
                                   '`case 1: return errB`), leaks it on that path: the allocation '
                                   'is reported with\n'
                                   'the line of that `return`. A `return` under a test of the '
                                   'allocation itself (`if\n'
                                   'p == nil`), or after `p, err := C.calloc(..)` fails, holds '
                                   'nothing.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   "The Go garbage collector does not know about memory from C's "
                                   '`malloc`.\n'
                                   'Every call of the function leaks the allocation: a '
                                   'long-running service\n'
                                   'that crosses the boundary per request grows until the OOM '
                                   'killer stops it.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func Render(name string) {\n'
                                   '        cs := C.CString(name)\n'
                                   '        C.engine_render(cs)\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func Render(name string) {\n'
                                   '        cs := C.CString(name)\n'
                                   '        defer C.free(unsafe.Pointer(cs))\n'
                                   '        C.engine_render(cs)\n'
                                   '}\n'
                                   '```\n'
                                   'A function of your own that frees, or a C function that takes '
                                   'ownership,\n'
                                   'goes in the configuration:\n'
                                   '```toml\n'
                                   'free-functions = ["freeCBuffer", "bufpool.Release"]\n'
                                   'ownership-taking = ["C.engine_take_buffer"]\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO101.md',
                  'id': 'GO101',
                  'level': 'warning',
                  'name': 'cgo-c-memory-leak',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks that C memory allocated from Go (`C.CString`, `C.CBytes`, '
                             '`C.malloc`, `C.calloc`) is freed in the function that allocates it, '
                             'with `C.free` (directly, deferred, or in a deferred closure), a C '
                             'function whose name says it frees (`C.duckdb_free`, `C.g_free`, '
                             '`C.xmlFree`, `C.lib_string_release`: a free, release, dealloc, '
                             'destroy or dispose word first, after the library prefix, or last) or '
                             'a configured `free-functions` entry, unless it escapes the function: '
                             'returned, stored in a field, an element, a map key or a global, sent '
                             'on a channel, captured by a closure that is returned or stored, or '
                             'passed to a configured `ownership-taking` function.',
                  'tags': ['external/cwe/cwe-401']},
  'file_kinds': ['go'],
  'id': 'GO101',
  'module': 'interop_lint.rules.go.go101_cgo_c_memory_leak',
  'qualname': 'CgoCMemoryLeak'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks the arguments of C calls for Go pointers to Go memory '
                                   'that itself\n'
                                   'contains Go pointers: `&cfg` of a struct with a string, slice, '
                                   'map, pointer,\n'
                                   'func, chan or interface field; `&names[0]` of a `[]string`;\n'
                                   '`unsafe.SliceData(ptrs)` of a `[]*T`; `&p` of a `*T`; and a '
                                   'slice of C\n'
                                   'pointers whose elements were assigned Go pointers\n'
                                   '(`ptrs[i] = (*C.char)(unsafe.Pointer(&b[0]))`, then '
                                   '`&ptrs[0]`); and the\n'
                                   'address of a local of C pointer type made from a Go pointer, '
                                   "as iconv's\n"
                                   'in/out cursors are (`in := '
                                   '(*C.char)(unsafe.Pointer(&input[0]))`, then\n'
                                   '`C.iconv(cd, &in, ..)`) — from the address of a variable, or '
                                   'of an element\n'
                                   'of a Go-typed slice or array (a `[]C.T` is often a view of C '
                                   'memory: only one\n'
                                   'the function makes counts, `buf := make([]C.uchar, n)`). Types '
                                   'are\n'
                                   'resolved through the declarations of the whole package, so a '
                                   'struct\n'
                                   'declared in another file is seen. A function that pins with\n'
                                   '`runtime.Pinner` is left alone.\n'
                                   '\n'
                                   'A struct of C type holds no Go pointer by its type, but one '
                                   'made from a\n'
                                   'literal holds the Go pointers it is initialized with:\n'
                                   '`ckey := &C.MDB_val{mv_data: unsafe.Pointer(&key[0])}` passed '
                                   'to C, or\n'
                                   '`req := C.struct_req{data: p}` and `&req`, or a local set from '
                                   'a package\n'
                                   "helper that returns such a literal (gomdb's `ckey := "
                                   'Wrap(key)` with `return\n'
                                   'Val(C.MDB_val{mv_data: unsafe.Pointer(&p[0])})`, then '
                                   '`&ckey`). When a field of the struct is\n'
                                   'assigned a Go pointer instead (`req.data = p`), GO107 reports '
                                   'that store and\n'
                                   'this rule stays silent, so one bug is reported once. A struct '
                                   'passed by value\n'
                                   'is a copy for the call and is not reported.\n'
                                   '\n'
                                   'A pointer to a Go mirror of a C struct is C memory: a package '
                                   'type `T` whose\n'
                                   '`*T` values the package only ever gets from C\n'
                                   '(`(*T)(unsafe.Pointer(C.alloc_format(..)))`, '
                                   '`(*T)(C.malloc(C.size_t(unsafe.Sizeof(T{}))))`)\n'
                                   'and never makes in Go (no `T{}` but the one `unsafe.Sizeof` '
                                   'measures, `&T{}`,\n'
                                   '`new(T)`, `var x T`, `[]T`, field or parameter of type `T`).\n'
                                   '\n'
                                   'Bindings often wrap each C function in a package function; cgo '
                                   'checks the\n'
                                   'argument of the C call inside the wrapper. An argument of a '
                                   'call of a\n'
                                   'package function whose pointer parameter goes, directly or '
                                   'through\n'
                                   'conversions, into a C call (and which does not pin) is checked '
                                   'like an\n'
                                   'argument of that C call, one call deep:\n'
                                   '`cNewImportObject((*cByteArray)(unsafe.Pointer(&argsBytes)), '
                                   '...)` where\n'
                                   '`cNewImportObject` passes `(*C.byte_array)(args)` to C.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'The cgo pointer-passing rules allow passing a Go pointer to C '
                                   'only if the\n'
                                   'Go memory it points to holds no Go pointers. C code can read '
                                   'and keep\n'
                                   'those inner pointers, which the garbage collector neither sees '
                                   'nor keeps\n'
                                   'alive. With the default `GODEBUG=cgocheck=1` the call panics '
                                   'at run time\n'
                                   '("cgo argument has Go pointer to unpinned Go pointer"); with '
                                   'checks off it\n'
                                   'corrupts memory.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'type Options struct {\n'
                                   '        Name  string\n'
                                   '        Level int32\n'
                                   '}\n'
                                   '\n'
                                   'func Configure(o *Options) {\n'
                                   '        C.engine_configure(unsafe.Pointer(o))\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   'Copy into C memory or a pointer-free struct of C types:\n'
                                   '```go\n'
                                   'func Configure(o *Options) {\n'
                                   '        name := C.CString(o.Name)\n'
                                   '        defer C.free(unsafe.Pointer(name))\n'
                                   '        opts := C.engine_options{name: name, level: '
                                   'C.int32_t(o.Level)}\n'
                                   '        C.engine_configure(&opts)\n'
                                   '}\n'
                                   '```\n'
                                   'or pin the inner pointers with a `runtime.Pinner` for the '
                                   'duration of the call.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO102.md',
                  'id': 'GO102',
                  'level': 'error',
                  'name': 'cgo-nested-go-pointer',
                  'precision': 'high',
                  'security_severity': 7.5,
                  'summary': 'Checks the arguments of C calls for Go pointers to Go memory that '
                             'itself contains Go pointers: `&cfg` of a struct with a string, '
                             'slice, map, pointer, func, chan or interface field; `&names[0]` of a '
                             '`[]string`; `unsafe.SliceData(ptrs)` of a `[]*T`; `&p` of a `*T`; '
                             'and a slice of C pointers whose elements were assigned Go pointers '
                             '(`ptrs[i] = (*C.char)(unsafe.Pointer(&b[0]))`, then `&ptrs[0]`); and '
                             'the address of a local of C pointer type made from a Go pointer, as '
                             "iconv's in/out cursors are (`in := "
                             '(*C.char)(unsafe.Pointer(&input[0]))`, then `C.iconv(cd, &in, ..)`) '
                             '— from the address of a variable, or of an element of a Go-typed '
                             'slice or array (a `[]C.T` is often a view of C memory: only one the '
                             'function makes counts, `buf := make([]C.uchar, n)`).',
                  'tags': ['security', 'external/cwe/cwe-825']},
  'file_kinds': ['go'],
  'id': 'GO102',
  'module': 'interop_lint.rules.go.go102_cgo_nested_go_pointer',
  'qualname': 'CgoNestedGoPointer'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for Go pointers hidden from the garbage collector as '
                                   'integers:\n'
                                   '`uintptr(unsafe.Pointer(p))` of a Go pointer that is kept in a '
                                   'variable\n'
                                   '(whose address may then go to C: `unsafe.Pointer(&addr)`), a '
                                   'field or an\n'
                                   'element, or passed to a C call; and `unsafe.Pointer(u)` of a '
                                   '`uintptr` that\n'
                                   'was not computed from a pointer in the same expression (a '
                                   'parameter, a\n'
                                   'field, a global, a variable of unknown origin). A `cgo.Handle` '
                                   'converted to\n'
                                   'a pointer is one such integer (`unsafe.Pointer(h)`,\n'
                                   '`unsafe.Pointer(cgo.NewHandle(v))`, or a handle kept as a '
                                   '`uintptr` in a\n'
                                   'field: `r.handle = uintptr(cgo.NewHandle(v))`, then\n'
                                   '`unsafe.Pointer(r.handle)`).\n'
                                   '\n'
                                   'Not reported: the one-expression pattern '
                                   '`unsafe.Pointer(uintptr(p) + off)`;\n'
                                   'pointers into C memory, which never move; a `uintptr` '
                                   'parameter of an\n'
                                   '`//export` function, which C calls with its own addresses (an '
                                   'event\n'
                                   'callback handed the native arrays as `uintptr_t`); addresses '
                                   'that are only\n'
                                   'compared or printed (an alignment check); the `Data` of a\n'
                                   '`*reflect.SliceHeader` or `*reflect.StringHeader` over a real '
                                   'slice or string,\n'
                                   "read or written (the unsafe package's own pattern: `h := "
                                   '(*reflect.SliceHeader)\n'
                                   '(unsafe.Pointer(&b)); p := unsafe.Pointer(h.Data)`). A header '
                                   'copied by value\n'
                                   '(`h := *(*reflect.StringHeader)(unsafe.Pointer(&s))`) holds a '
                                   'plain integer,\n'
                                   'and `unsafe.Pointer(h.Data)` of it is reported.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'A `uintptr` is an integer: the garbage collector does not '
                                   'treat it as a\n'
                                   'reference. The object it came from may be freed, and its '
                                   'memory reused,\n'
                                   'while the integer is still around; converting it back yields a '
                                   'dangling\n'
                                   'pointer. C code given such an integer sees memory it does not '
                                   'own. A\n'
                                   '`cgo.Handle` never was an address: the runtime/cgo '
                                   'documentation says it\n'
                                   'must not be coerced to an `unsafe.Pointer` (`go vet` reports '
                                   'it too, and\n'
                                   'the checked-pointer mode of `-race` builds may abort on it). '
                                   'Pass the\n'
                                   'handle to C as a `uintptr_t`, or store it in C memory and pass '
                                   'that.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'addr := uintptr(unsafe.Pointer(&state))\n'
                                   'C.engine_register(C.uintptr_t(addr))\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   'Pass an opaque `cgo.Handle` to C, and recover the value with '
                                   '`h.Value()`:\n'
                                   '```go\n'
                                   'h := cgo.NewHandle(&state)\n'
                                   'C.engine_register(C.uintptr_t(h))\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO103.md',
                  'id': 'GO103',
                  'level': 'warning',
                  'name': 'cgo-uintptr-pointer',
                  'precision': 'medium',
                  'security_severity': 6.5,
                  'summary': 'Checks for Go pointers hidden from the garbage collector as '
                             'integers: `uintptr(unsafe.Pointer(p))` of a Go pointer that is kept '
                             'in a variable (whose address may then go to C: '
                             '`unsafe.Pointer(&addr)`), a field or an element, or passed to a C '
                             'call; and `unsafe.Pointer(u)` of a `uintptr` that was not computed '
                             'from a pointer in the same expression (a parameter, a field, a '
                             'global, a variable of unknown origin).',
                  'tags': ['security', 'external/cwe/cwe-825']},
  'file_kinds': ['go'],
  'id': 'GO103',
  'module': 'interop_lint.rules.go.go103_cgo_uintptr_pointer',
  'qualname': 'CgoUintptrPointer'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for `&s[0]` (or `unsafe.Pointer(&s[0])`, or '
                                   '`s[0].cptr()` where `cptr`\n'
                                   'is a method of the package with a pointer receiver that '
                                   'returns a pointer: Go\n'
                                   'takes `&s[0]` for it) of a slice that is passed to a C call, '
                                   'directly, through\n'
                                   "a local variable (or the address of one: OpenSSL's cursor `buf "
                                   ':=\n'
                                   '(*C.uchar)(&der[0])` passed as `d2i_X509(nil, &buf, n)`), in a '
                                   'field of a\n'
                                   'local C struct passed to the call by value, or in a struct '
                                   'literal passed to\n'
                                   'the call or whose address is (`&C.MDB_val{mv_data: '
                                   'unsafe.Pointer(&key[0])}`),\n'
                                   'or returned by an unexported helper of the file whose result a '
                                   'call passes to\n'
                                   'C (`func p(in []byte) *C.char { return '
                                   '(*C.char)(unsafe.Pointer(&in[0])) }`\n'
                                   'with `C.LZ4_compress(p(in), ..)`), in a function that never '
                                   'checks `len(s)`. A\n'
                                   'check is `len(s)` or `cap(s)` in a comparison or a `switch`, '
                                   '`n := len(s)`\n'
                                   'with `n` compared, `str == ""` for `s := []byte(str)`, or the '
                                   'length of what\n'
                                   '`s` was made from: `make([]T, len(parts))`, `make([]T, n)` '
                                   'with `n :=\n'
                                   'len(parts)` or with `n` compared (`if n == 0 { return }`) or '
                                   'raised to a\n'
                                   'positive constant (`if n < minLen { n = minLen }`), `s = '
                                   'other` (every\n'
                                   'assignment counts, `s = one` of a fallback literal too), `s = '
                                   'append(s, x)` in\n'
                                   'every iteration of `for ... range parts` (or of `for i := 0; i '
                                   '< n; i++` with\n'
                                   '`n` compared), a field compared in the function (`if s.size == '
                                   '0 { return }`\n'
                                   'before `make([]T, s.size)`) and a product of such '
                                   '(`s.size*s.dimensions`), or\n'
                                   'the type assertion `s := v.([]byte)` checked as '
                                   '`len(v.([]byte)) == 0`. Slices\n'
                                   'that cannot be empty where they are used are left alone: '
                                   'arrays, `make([]T,\n'
                                   '64)`, `make([]T, C.KEY_BYTES)` and `make([]T, '
                                   'len(m)+C.MAC_BYTES)` (a C\n'
                                   'constant the preamble does not define as 0), non-empty '
                                   'literals, and code\n'
                                   'inside `for ... range s`; so is the parameter of an unexported '
                                   'function whose\n'
                                   'every call in the file passes a slice the caller checks (or a '
                                   'non-empty\n'
                                   'literal, or a re-slice that holds an element: '
                                   '`dst[n:cap(dst)]` under `if\n'
                                   'cap(dst) > n`, `dst[n:n+bound]` with `bound := x + 1` or '
                                   'compared), and a\n'
                                   'slice a function of the package returns non-empty or fails '
                                   '(`ids, err :=\n'
                                   's.fields(names)` where every `return` of `fields` gives a '
                                   'slice it shows to be\n'
                                   'non-empty, or `nil` with an error) when the caller compares '
                                   '`err` with nil;\n'
                                   'and a slice passed first to a package function that checks its '
                                   'length and\n'
                                   'reports it in an `error` or `bool` result the caller acts on '
                                   '(`if err :=\n'
                                   'checkSignature(sig); err != nil { return }`, `if !valid(sig) { '
                                   '.. }`), its\n'
                                   'parameter a slice or a named type of the package (`type Shape '
                                   '[]int64`), or to\n'
                                   "such a method of the slice's own type (`if err := "
                                   'shape.Validate(); err != nil\n'
                                   '{ return }`); and a slice made with the length of one so '
                                   'validated (`input :=\n'
                                   'make([]C.Note, len(notes))` after `validate(notes)`); and a '
                                   'slice handed first\n'
                                   'to a function of another package whose name says it checks, '
                                   'called as a\n'
                                   'statement of its own, so that it can only act by panicking '
                                   "(libsodium-go's\n"
                                   '`support.CheckSize(n, NonceBytes(), "nonce")`).\n'
                                   '\n'
                                   'A clamp is no check: `if len(b) < n { n = len(b) }` (an `if` '
                                   'without `else` on\n'
                                   'one ordered comparison, whose body only assigns to its '
                                   'operands) lets an empty\n'
                                   '`b` through; nor is a sign test: `if size < 0 { return }` (or '
                                   '`>= 0`, or a\n'
                                   'comparison with a negative constant) before `make([]byte, '
                                   'size)` lets a size\n'
                                   'of 0 through; nor is an upper bound the function leaves on: '
                                   '`if len(sig) >\n'
                                   'maxLen { return err }` lets every shorter length through, 0 '
                                   "too (liboqs-go's\n"
                                   "`Verify`, portmidi's `Write`). The planes of the standard "
                                   "library's images are\n"
                                   'slices (`&img.Pix[0]`, `&yuv.Y[0]`); an image the function '
                                   'makes itself\n'
                                   '(`image.NewRGBA(rect)`) is left alone. Other comparisons '
                                   'count, even `if\n'
                                   'len(b) < size { return }`.\n'
                                   '\n'
                                   'Byte slices from other packages are known where their result '
                                   'type is\n'
                                   'fixed: `json.Marshal`, `proto.Marshal`, `io.ReadAll`, '
                                   '`os.ReadFile`,\n'
                                   '`hex.DecodeString`, and a `Marshal`, `MarshalBinary`, '
                                   '`MarshalJSON`,\n'
                                   '`MarshalText` or `MarshalVT` method the package does not '
                                   'declare itself\n'
                                   "(`data, _ := req.Marshal()`), and a `Bytes()` method's "
                                   '(`bytes.Buffer`,\n'
                                   '`big.Int`, whose `Bytes()` is empty for zero). A JSON encoding '
                                   'is never empty when it\n'
                                   "succeeds: `json.Marshal`'s result is left alone once its error "
                                   'is compared\n'
                                   'with nil.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'Indexing an empty slice panics (`index out of range [0] with '
                                   'length 0`).\n'
                                   'An empty input (an empty request body, an empty string '
                                   'converted to\n'
                                   '`[]byte`) then crashes the process at the boundary instead of '
                                   'passing a\n'
                                   'null pointer and a zero length.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func Hash(data []byte) uint64 {\n'
                                   '        return '
                                   'uint64(C.engine_hash((*C.uchar)(unsafe.Pointer(&data[0])), '
                                   'C.size_t(len(data))))\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func Hash(data []byte) uint64 {\n'
                                   '        p := '
                                   '(*C.uchar)(unsafe.Pointer(unsafe.SliceData(data)))\n'
                                   '        return uint64(C.engine_hash(p, C.size_t(len(data))))\n'
                                   '}\n'
                                   '```\n'
                                   '`unsafe.SliceData` of an empty slice is a valid (possibly nil) '
                                   'pointer;\n'
                                   'or check `len(data) == 0` first.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO104.md',
                  'id': 'GO104',
                  'level': 'warning',
                  'name': 'cgo-empty-slice-address',
                  'precision': 'high',
                  'security_severity': 5.5,
                  'summary': 'Checks for `&s[0]` (or `unsafe.Pointer(&s[0])`, or `s[0].cptr()` '
                             'where `cptr` is a method of the package with a pointer receiver that '
                             'returns a pointer: Go takes `&s[0]` for it) of a slice that is '
                             'passed to a C call, directly, through a local variable (or the '
                             "address of one: OpenSSL's cursor `buf := (*C.uchar)(&der[0])` passed "
                             'as `d2i_X509(nil, &buf, n)`), in a field of a local C struct passed '
                             'to the call by value, or in a struct literal passed to the call or '
                             'whose address is (`&C.MDB_val{mv_data: unsafe.Pointer(&key[0])}`), '
                             'or returned by an unexported helper of the file whose result a call '
                             'passes to C (`func p(in []byte) *C.char { return '
                             '(*C.char)(unsafe.Pointer(&in[0])) }` with `C.LZ4_compress(p(in), '
                             '..)`), in a function that never checks `len(s)`.',
                  'tags': ['security', 'external/cwe/cwe-129']},
  'file_kinds': ['go'],
  'id': 'GO104',
  'module': 'interop_lint.rules.go.go104_cgo_empty_slice_address',
  'qualname': 'CgoEmptySliceAddress'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks that every `cgo.NewHandle(v)`, or call of a package '
                                   'function that\n'
                                   'returns one (`cgoNewHandle(v)`, a wrapper over a type of the '
                                   "package's own),\n"
                                   'is released with `.Delete()`: in the\n'
                                   'same function (deferred or not), or elsewhere in the package '
                                   'where the\n'
                                   'handle is stored (a `Close` method deleting `w.handle`, a '
                                   'callback deleting\n'
                                   '`cgo.Handle(h)` that C hands back, a registry map whose '
                                   'entries are\n'
                                   "deleted). A handle that is returned is the caller's to "
                                   'release. A handle\n'
                                   'passed to a package function is followed into it: one that the '
                                   'function\n'
                                   'only hands on to C (`NewValueExternalHandle(handle)` '
                                   'converting it for\n'
                                   '`C.NewValueExternal`) can only be released by a callback '
                                   'deleting the\n'
                                   'handle C gives back, not by a `Close` that deletes another '
                                   'field. The\n'
                                   '`Delete` method of such a wrapper type, deleting its own '
                                   'receiver, releases\n'
                                   'nothing by itself: its callers do.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'A handle keeps its value reachable until `Delete` is called: '
                                   'the value,\n'
                                   'and everything it references, is never collected. Bindings '
                                   'that create a\n'
                                   'handle per call (per callback registration, per request) leak '
                                   'without\n'
                                   'bound, and the handle table only grows.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func (e *Engine) OnEvent(fn func(Event)) {\n'
                                   '        h := cgo.NewHandle(fn)\n'
                                   '        C.engine_on_event(e.ptr, C.uintptr_t(h))\n'
                                   '}\n'
                                   '```\n'
                                   'and nothing in the package ever calls `Delete`.\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func (e *Engine) OnEvent(fn func(Event)) {\n'
                                   '        e.listener = cgo.NewHandle(fn)\n'
                                   '        C.engine_on_event(e.ptr, C.uintptr_t(e.listener))\n'
                                   '}\n'
                                   '\n'
                                   'func (e *Engine) Close() {\n'
                                   '        C.engine_free(e.ptr)\n'
                                   '        e.listener.Delete()\n'
                                   '}\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO105.md',
                  'id': 'GO105',
                  'level': 'warning',
                  'name': 'cgo-handle-leak',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks that every `cgo.NewHandle(v)`, or call of a package function '
                             'that returns one (`cgoNewHandle(v)`, a wrapper over a type of the '
                             "package's own), is released with `.Delete()`: in the same function "
                             '(deferred or not), or elsewhere in the package where the handle is '
                             'stored (a `Close` method deleting `w.handle`, a callback deleting '
                             '`cgo.Handle(h)` that C hands back, a registry map whose entries are '
                             'deleted).',
                  'tags': ['external/cwe/cwe-401']},
  'file_kinds': ['go'],
  'id': 'GO105',
  'module': 'interop_lint.rules.go.go105_cgo_handle_leak',
  'qualname': 'CgoHandleLeak'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks that a local `runtime.Pinner` that pins (`p.Pin(x)`) is '
                                   'unpinned\n'
                                   '(`p.Unpin()`, usually deferred) in the same function. A pinner '
                                   'that leaves\n'
                                   'the function (returned, stored, passed on) is left alone: '
                                   'whoever holds it\n'
                                   'unpins it. A local struct value holding a `runtime.Pinner` '
                                   '(embedded, so\n'
                                   'that `m.Pin(x)` is its method, or a field `m.pinner`) is such '
                                   'a pinner too,\n'
                                   'however it was made: a copy taken out of a `cgo.Handle` or a '
                                   'map pins\n'
                                   'through its own Pinner, which the original never sees. A '
                                   'struct reached\n'
                                   'through a pointer is not: its Pinner lives on elsewhere.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'Pinned objects are never moved or freed while pinned. A pinner '
                                   'that goes\n'
                                   'out of scope without `Unpin` panics when the garbage collector '
                                   'finds it\n'
                                   '("runtime.Pinner: found leaking pinned pointer; forgot to call '
                                   'Unpin()?"),\n'
                                   'and until then keeps every pinned object alive.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func Submit(req *Request) {\n'
                                   '        var pinner runtime.Pinner\n'
                                   '        pinner.Pin(&req.Body[0])\n'
                                   '        C.engine_submit(unsafe.Pointer(req))\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func Submit(req *Request) {\n'
                                   '        var pinner runtime.Pinner\n'
                                   '        defer pinner.Unpin()\n'
                                   '        pinner.Pin(&req.Body[0])\n'
                                   '        C.engine_submit(unsafe.Pointer(req))\n'
                                   '}\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO106.md',
                  'id': 'GO106',
                  'level': 'warning',
                  'name': 'cgo-pinner-leak',
                  'precision': 'high',
                  'security_severity': 5.5,
                  'summary': 'Checks that a local `runtime.Pinner` that pins (`p.Pin(x)`) is '
                             'unpinned (`p.Unpin()`, usually deferred) in the same function.',
                  'tags': ['security', 'external/cwe/cwe-401']},
  'file_kinds': ['go'],
  'id': 'GO106',
  'module': 'interop_lint.rules.go.go106_cgo_pinner_leak',
  'qualname': 'CgoPinnerLeak'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for assignments that store a Go pointer into a field or '
                                   'element of\n'
                                   'a value of C type (`C.struct_x`, `*C.T`, `C.T`) or into C '
                                   'memory\n'
                                   '(`arr[i]` of a view over `C.malloc` memory: '
                                   '`unsafe.Slice((*T)(p), n)`, a\n'
                                   'slice whose `reflect.SliceHeader` has its `Data` set to '
                                   '`uintptr(C.malloc(..))`,\n'
                                   "or one a package function returns so, as apache/arrow's cdata "
                                   'exports make\n'
                                   'their arrays): `opts.name = '
                                   '(*C.char)(unsafe.Pointer(&buf[0]))`,\n'
                                   '`req.data = unsafe.Pointer(&payload)`.\n'
                                   'Values made from Go pointers in the same function are tracked '
                                   'through\n'
                                   'local variables. What a C call returns is C memory; the '
                                   'declaration of the\n'
                                   "function in the file's preamble or headers says whether it is "
                                   'a pointer\n'
                                   '(`packet := C.tb_acquire_packet(client)`, then '
                                   '`packet.user_data = ..`) or a\n'
                                   'struct returned by value. A dereferenced value is a copy, not '
                                   'a pointer:\n'
                                   '`ref.inner = *(*[96]C.uint8_t)(unsafe.Pointer(&x.Inner))` is '
                                   'fine. A\n'
                                   '`cgo.Handle` (an integer) is the right thing to store and is '
                                   'not reported;\n'
                                   'nor is a C struct that lives in Go memory in a function that '
                                   'pins with\n'
                                   '`runtime.Pinner` (the documented way to pass Go memory that '
                                   'holds pinned Go\n'
                                   'pointers). Nor is a local C struct that is only passed by '
                                   'value to C calls\n'
                                   '(`view := C.struct_view{}; view.data = ..; C.f(view)`, never '
                                   '`&view`,\n'
                                   'assigned, returned or captured; or a struct a C function '
                                   'returns by value):\n'
                                   'it is a copy for the call, and GO104 checks\n'
                                   'a `&s[0]` stored in it like a direct argument. That does not '
                                   'hold for a field\n'
                                   'C hands back to callbacks (`userData`, `user_data`, '
                                   "webgpu.h's\n"
                                   '`userdata1`, `cb_arg`, `opaque`, `cookie`): a callbacks struct '
                                   'registered by value\n'
                                   '(`cbs.userData = unsafe.Pointer(&state); C.node_create(cbs)`) '
                                   'is kept.\n'
                                   'A Go pointer put in a C struct by its literal '
                                   '(`C.struct_req{data: p}`) is\n'
                                   "no assignment: GO102 reports it where the struct's address is "
                                   'passed to C.\n'
                                   'A literal stored whole into C memory stores its fields, nested '
                                   'literals\n'
                                   'included (`*req = C.struct_req{data: '
                                   'unsafe.Pointer(&buf[0])}`, `pairs[i] =\n'
                                   'C.kv_pair{key: C.kv_val{mv_data: p}}` of a view over '
                                   '`C.calloc` memory).\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'C may keep the pointer after the call returns, and C memory is '
                                   'invisible\n'
                                   'to the garbage collector: the Go object can be freed or moved '
                                   'while C still\n'
                                   'points at it. cgo forbids it ("C code may not keep a copy of a '
                                   'Go pointer\n'
                                   'after the call returns"); a C struct in Go memory that holds a '
                                   'Go pointer\n'
                                   'fails the runtime check when it is passed to C.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func SetName(cfg *C.engine_config, name []byte) {\n'
                                   '        cfg.name = (*C.char)(unsafe.Pointer(&name[0]))\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func SetName(cfg *C.engine_config, name string) {\n'
                                   '        cfg.name = C.CString(name) // freed by '
                                   'engine_config_free\n'
                                   '}\n'
                                   '```\n'
                                   'or store a `cgo.Handle` and look the Go value up when C calls '
                                   'back.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO107.md',
                  'id': 'GO107',
                  'level': 'error',
                  'name': 'cgo-go-pointer-in-c-memory',
                  'precision': 'high',
                  'security_severity': 7.5,
                  'summary': 'Checks for assignments that store a Go pointer into a field or '
                             'element of a value of C type (`C.struct_x`, `*C.T`, `C.T`) or into C '
                             'memory (`arr[i]` of a view over `C.malloc` memory: '
                             '`unsafe.Slice((*T)(p), n)`, a slice whose `reflect.SliceHeader` has '
                             'its `Data` set to `uintptr(C.malloc(..))`, or one a package function '
                             "returns so, as apache/arrow's cdata exports make their arrays): "
                             '`opts.name = (*C.char)(unsafe.Pointer(&buf[0]))`, `req.data = '
                             'unsafe.Pointer(&payload)`.',
                  'tags': ['security', 'external/cwe/cwe-825']},
  'file_kinds': ['go'],
  'id': 'GO107',
  'module': 'interop_lint.rules.go.go107_cgo_go_pointer_in_c_memory',
  'qualname': 'CgoGoPointerInCMemory'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for the pre-Go 1.17 idiom that views C memory as a Go '
                                   'slice by\n'
                                   'converting to a pointer to a huge array, `(*[1 << '
                                   '30]C.int)(unsafe.Pointer(p))[:n:n]`,\n'
                                   'with any length of 1<<20 elements or more: a literal, a shift, '
                                   'a constant of\n'
                                   'the package or the function, or a byte count divided by the '
                                   'element size,\n'
                                   "`(math.MaxInt32 - 1) / unsafe.Sizeof(x)` (a struct's size "
                                   'counts as 1); or\n'
                                   "any length the package's constants do not give (one that "
                                   'depends on another\n'
                                   "package's constant) when the array is sliced to a count that "
                                   'is no constant,\n'
                                   '`(*[valMaxSize]byte)(p)[:n:n]`. Not in a module whose go.mod '
                                   'names a\n'
                                   'language version before 1.17 (`go 1.15`), where `unsafe.Slice` '
                                   'does not\n'
                                   'compile.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'The array type is a lie the compiler believes: a forgotten or '
                                   'wrong\n'
                                   '`[:n:n]` gives a slice that reaches far past the allocation, '
                                   'the bound\n'
                                   'fails to compile for large element types on 32-bit targets, '
                                   'and the\n'
                                   'intent is hard to read. Go 1.17 added `unsafe.Slice` for '
                                   'exactly this.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'values := (*[1 << 30]C.int)(unsafe.Pointer(p))[:n:n]\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'values := unsafe.Slice((*C.int)(p), n)\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO108.md',
                  'id': 'GO108',
                  'level': 'note',
                  'name': 'cgo-array-cast',
                  'precision': 'very-high',
                  'security_severity': None,
                  'summary': 'Checks for the pre-Go 1.17 idiom that views C memory as a Go slice '
                             'by converting to a pointer to a huge array, `(*[1 << '
                             '30]C.int)(unsafe.Pointer(p))[:n:n]`, with any length of 1<<20 '
                             'elements or more: a literal, a shift, a constant of the package or '
                             'the function, or a byte count divided by the element size, '
                             "`(math.MaxInt32 - 1) / unsafe.Sizeof(x)` (a struct's size counts as "
                             "1); or any length the package's constants do not give (one that "
                             "depends on another package's constant) when the array is sliced to a "
                             'count that is no constant, `(*[valMaxSize]byte)(p)[:n:n]`.',
                  'tags': []},
  'file_kinds': ['go'],
  'id': 'GO108',
  'module': 'interop_lint.rules.go.go108_cgo_array_cast',
  'qualname': 'CgoArrayCast'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for `C.free` given a pointer to memory Go allocated: '
                                   'the address of\n'
                                   'a Go variable, of a field or element of one, or of a composite '
                                   'literal\n'
                                   '(`C.free(unsafe.Pointer(&cs))`, '
                                   '`C.free(unsafe.Pointer(&height))`), a\n'
                                   '`new(T)`, or the array of a slice Go made (`make`, a slice '
                                   'literal,\n'
                                   '`[]byte(s)`: `C.free(unsafe.Pointer(&buf[0]))`), directly or '
                                   'through local\n'
                                   'variables every assignment of which is one of these.\n'
                                   '\n'
                                   'Only what the code shows is reported: a pointer parameter, a '
                                   'field read\n'
                                   'through a pointer or a slice of unknown origin may hold '
                                   '`C.malloc` memory\n'
                                   'cast to a Go type, and is left alone.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   "`free` may only be given what C's allocator returned. Memory "
                                   'of the Go\n'
                                   "heap or a goroutine's stack handed to it corrupts the C "
                                   "allocator's\n"
                                   'bookkeeping: glibc aborts the whole process (`free(): invalid '
                                   'pointer`),\n'
                                   'or the corruption surfaces later, far from the cause. The '
                                   'usual slip is\n'
                                   '`&cs` for `cs`: the address of the Go variable that holds the '
                                   'C pointer,\n'
                                   'not the C pointer, so the C string leaks as well.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func Put(key string) {\n'
                                   '        ckey := C.CString(key)\n'
                                   '        defer C.free(unsafe.Pointer(&ckey))\n'
                                   '        C.store_put(ckey)\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func Put(key string) {\n'
                                   '        ckey := C.CString(key)\n'
                                   '        defer C.free(unsafe.Pointer(ckey))\n'
                                   '        C.store_put(ckey)\n'
                                   '}\n'
                                   '```\n'
                                   'Memory Go allocated is freed by the garbage collector: drop '
                                   'the call.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/GO109.md',
                  'id': 'GO109',
                  'level': 'error',
                  'name': 'cgo-free-go-memory',
                  'precision': 'very-high',
                  'security_severity': 7.5,
                  'summary': 'Checks for `C.free` given a pointer to memory Go allocated: the '
                             'address of a Go variable, of a field or element of one, or of a '
                             'composite literal (`C.free(unsafe.Pointer(&cs))`, '
                             '`C.free(unsafe.Pointer(&height))`), a `new(T)`, or the array of a '
                             'slice Go made (`make`, a slice literal, `[]byte(s)`: '
                             '`C.free(unsafe.Pointer(&buf[0]))`), directly or through local '
                             'variables every assignment of which is one of these.',
                  'tags': ['security', 'external/cwe/cwe-590', 'external/cwe/cwe-762']},
  'file_kinds': ['go'],
  'id': 'GO109',
  'module': 'interop_lint.rules.go.go109_cgo_free_go_memory',
  'qualname': 'CgoFreeGoMemory'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for exported functions (`extern "C"` with '
                                   '`#[no_mangle]` or\n'
                                   '`#[export_name]`, and the functions a `macro_rules!` macro of '
                                   'the crate\n'
                                   'exports from a whole function its invocation is given, in any '
                                   'file of the\n'
                                   'crate: `ffi_fn! { fn name(..) { .. } }`, or the `extern` '
                                   'functions it writes\n'
                                   'out with `#[no_mangle]`: `unmangle!( pub extern "C" fn '
                                   'name(..) { .. } )`)\n'
                                   'that can panic and have no panic guard. Panic sources are '
                                   '`.unwrap()`,\n'
                                   '`.expect()`, `panic!`, `unreachable!`, `todo!`, '
                                   '`unimplemented!`, the\n'
                                   '`assert!` family and indexing `a[i]`: in the function, '
                                   'including the code it\n'
                                   'writes inside macro invocations (`format!("{}", v[0])` '
                                   'indexes); in the\n'
                                   'expansion of each `macro_rules!` macro of the crate it invokes '
                                   '(what the\n'
                                   "macro's rules write themselves; a panic in any rule counts); "
                                   'and in every\n'
                                   'function of the same crate it calls (by name, transitively, '
                                   'through macros\n'
                                   'too, or handed by name to a combinator: '
                                   '`.map(convert_options)`; a result\n'
                                   'converted with `.into()` calls `from` of the return type). '
                                   '`.expect(x)` is\n'
                                   "`Option`/`Result`'s only with one message: a crate's own "
                                   '`expect` method\n'
                                   "taking a token (`parser.expect(b'(')`, "
                                   '`self.expect(Token::Comma)`) is not.\n'
                                   'Macros of other crates are not expanded: only the code written '
                                   'in their\n'
                                   'arguments counts. Unwrapping a conversion of a literal that '
                                   'cannot fail\n'
                                   '(directly or through an immutable local bound to it) is no '
                                   'panic source:\n'
                                   '`CString::new("no NUL")`, `CStr::from_bytes_with_nul(b"ends in '
                                   'its only\n'
                                   'NUL\\0")`, `NonZeroU32::new(83)`; nor is `CString::new` of '
                                   'JSON text, which\n'
                                   'holds no NUL (`serde_json::to_string(&v)?`, '
                                   '`json!(..).to_string()`;\n'
                                   'unwrapping the encoding still is), nor an `.unwrap()` the code '
                                   'shows cannot\n'
                                   'fail (inside `if x.is_some()`, after `if x.is_none() { return '
                                   '.. }` or `if\n'
                                   "r.is_err() { return .. }`, as clippy's `unnecessary_unwrap` "
                                   'reads them).\n'
                                   'Neither is indexing checked against the length first: in the '
                                   'branch of `if\n'
                                   '!v.is_empty()`, `if i < v.len()` or `v.len() >= 4 && ..`, '
                                   'after `if v.len() <\n'
                                   '4 { return .. }` (an unsigned parameter converted on either '
                                   'side: `if i >=\n'
                                   'v.len() as u64 { .. } else { v[i as usize] }`, or a signed one '
                                   'also checked\n'
                                   '`>= 0`: `if i < 0 || i >= v.len() as c_int { return }`), in '
                                   '`for i in\n'
                                   '0..v.len()` (or `0..n` with `let n = v.len();`, or `n` the '
                                   'length a raw slice\n'
                                   'was made with; `for i in 0..4` of a `[T; 4]`), a slice made '
                                   'with\n'
                                   '`slice::from_raw_parts_mut(buf, buf_len)` indexed `out[..n]` '
                                   'after `if n >\n'
                                   'buf_len { return .. }` or with `let n = '
                                   'src.len().min(buf_len)` (also\n'
                                   '`cmp::min`), in a match arm past the arms that took the short '
                                   'lengths (`match\n'
                                   'v.len() { 0 => .., _ => v[0] }`, `Err(_) if v.is_empty() => '
                                   '.., Err(_) =>\n'
                                   'v[0]`), through a local bound to the length and only decreased '
                                   '(`let mut n =\n'
                                   'v.len() - 1;` once `v` is non-empty, then `v[..n]` in `while n '
                                   '> 0 { .. n -=\n'
                                   '1; }`), at a position found in the same string or slice (`if '
                                   'let Some(i) =\n'
                                   "s.find('?') { &s[..i] }`, `&s[i + 1..]` after a `find` of a "
                                   'char, `v[i]` after\n'
                                   '`v.iter().position(..)`), or a constant index or range within '
                                   'a fixed array\n'
                                   '(`let b = [0u8; 256];` or `let k: [u8; 64] = ..;`, then `b[3]` '
                                   'or\n'
                                   '`&b[0..128]`, or `b[i]` after `if i >= 256 { return }`; a '
                                   'parameter `key:\n'
                                   '*const [u8; 32]`, then `(*key)[0]`, or `k[31]` of the `k` its '
                                   '`key.as_ref()`\n'
                                   'gives) or a slice taken with constant bounds (`let m = '
                                   '&v[..4];`, then\n'
                                   '`m[3]`).\n'
                                   '\n'
                                   'A guard is `std::panic::catch_unwind` (by any path) around the '
                                   'code, a\n'
                                   '`macro_rules!` macro or function of the crate that runs its '
                                   'argument under\n'
                                   "`catch_unwind` (an export macro that runs the function's body "
                                   'so, such as\n'
                                   "hyper's `ffi_fn!`, guards it; or a macro that hands its "
                                   'argument to such a\n'
                                   'guard: `ffi_boundary_size_t!` expanding to '
                                   '`ffi_boundary_generic!(0, ..)`; or\n'
                                   'a generic function that hands its closure to one: '
                                   '`ffi_safe_ptr(f)` calling\n'
                                   '`ffi_safe(f)`), a function of another crate given the code in '
                                   'a closure whose\n'
                                   'name says it catches panics (its last path segment contains '
                                   '`catch_unwind` or\n'
                                   '`catch_panic`: `ffi_toolkit::catch_panic_response`,\n'
                                   '`ffi_helpers::catch_panic`), an attribute macro on the '
                                   'function with such a\n'
                                   "name (getsentry/relay's `#[relay_ffi::catch_unwind]` rewrites "
                                   'the body to run\n'
                                   'under `catch_unwind`), or a function, macro or attribute named '
                                   'in the\n'
                                   '`panic-guards` setting. Async code runs where it is polled: an '
                                   '`async` block\n'
                                   'or the future of a call of an `async fn` of the crate handed '
                                   'to such a guard\n'
                                   "(cpex-ffi's `run_safely(parse(input))`, polled under "
                                   '`catch_unwind`) is\n'
                                   'guarded, one given to `block_on` is not. A closure boxed into '
                                   'a value\n'
                                   '(`Box::new`, `Arc::new`, `Rc::new`: a callback slot, `opts.log '
                                   '=\n'
                                   'Some(Box::new(move |m| ..))`) runs later, where the code that '
                                   'calls it answers\n'
                                   'for its panics. A guard that panics in its own code, outside '
                                   'its\n'
                                   '`catch_unwind` (`*LAST_ERROR.lock().unwrap() = message;` where '
                                   'it handles the\n'
                                   'caught panic), leaves the export unguarded there; what it '
                                   'calls to build its\n'
                                   'error value (`FfiError::new(code, "FFI")`) is taken to be the '
                                   "crate's way of\n"
                                   'reporting, not a panic source of every export. When the whole '
                                   'body is handed\n'
                                   'in a closure to some other function '
                                   '(`ffi_support::call_with_result(&mut err,\n'
                                   '|| ..)`), the finding says to add it to `panic-guards` if it '
                                   'is a guard.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'A panic cannot unwind into C, and a caller through cgo or '
                                   'ctypes is C here.\n'
                                   'Since Rust 1.81 a panic that reaches an `extern "C"` boundary '
                                   'aborts the\n'
                                   'whole process: the Go service or the Python interpreter that '
                                   'loaded the\n'
                                   'library dies with everything in flight. Before 1.81 it was '
                                   'undefined\n'
                                   'behaviour.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_port(config: *const c_char) -> u16 {\n'
                                   '    let text = unsafe { CStr::from_ptr(config) '
                                   '}.to_str().unwrap();\n'
                                   '    text.parse().expect("port")\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_port(config: *const c_char) -> u16 {\n'
                                   '    std::panic::catch_unwind(|| {\n'
                                   '        let text = unsafe { CStr::from_ptr(config) '
                                   '}.to_str().ok()?;\n'
                                   '        text.parse().ok()\n'
                                   '    })\n'
                                   '    .ok()\n'
                                   '    .flatten()\n'
                                   '    .unwrap_or(0)\n'
                                   '}\n'
                                   '```\n'
                                   'Or return errors instead of panicking, and keep `catch_unwind` '
                                   'for what is left.\n'
                                   'With `panic-guards = ["ffi_guard"]` a crate\'s own '
                                   '`ffi_guard!{ .. }` counts too.\n'
                                   '\n'
                                   '## Known problems\n'
                                   'Calls are matched by name and shape, not by type: `x.get(i)` '
                                   'on a local of\n'
                                   "unknown type may be taken for the crate's own `get`. A method "
                                   'called on\n'
                                   '`self` or on a parameter of a known type only reaches that '
                                   "type's methods.\n"
                                   'Code in a closure given to `thread::spawn` panics in its own '
                                   'thread and is\n'
                                   'not reported; `debug_assert!` is not counted (it is gone in '
                                   'release builds).\n'
                                   'A macro is matched by name, not by which of its rules an '
                                   'invocation takes:\n'
                                   'a panic in any rule counts for every invocation.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS101.md',
                  'id': 'RS101',
                  'level': 'error',
                  'name': 'ffi-panic-escape',
                  'precision': 'high',
                  'security_severity': 7.5,
                  'summary': 'Checks for exported functions (`extern "C"` with `#[no_mangle]` or '
                             '`#[export_name]`, and the functions a `macro_rules!` macro of the '
                             'crate exports from a whole function its invocation is given, in any '
                             'file of the crate: `ffi_fn! { fn name(..) { ..',
                  'tags': ['security', 'external/cwe/cwe-248', 'external/cwe/cwe-755']},
  'file_kinds': ['rust'],
  'id': 'RS101',
  'module': 'interop_lint.rules.rust.rs101_ffi_panic_escape',
  'qualname': 'FfiPanicEscape'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for exported functions that use a raw-pointer parameter '
                                   'in a way that\n'
                                   'requires it to be non-null (`*p`, `&*p`, `(*p).field`, '
                                   '`CStr::from_ptr(p)`,\n'
                                   '`slice::from_raw_parts(p, n)`, `Box::from_raw(p)`, '
                                   '`CString::from_raw(p)`,\n'
                                   '`ptr::read(p)`, `p.read()`, either pointer of '
                                   '`ptr::copy_nonoverlapping(src,\n'
                                   'dst, n)` or `dst.copy_from(src, n)`, `ptr::write_bytes(p, 0, '
                                   'n)`, ...; these\n'
                                   'need a non-null pointer even when `n` is 0) without checking '
                                   'it for null first\n'
                                   'on every path: `p.is_null()` with an early return or in the '
                                   "branch's\n"
                                   'condition, a comparison with `ptr::null()`/`null_mut()`, '
                                   '`NonNull::new(p)` or\n'
                                   '`p.as_ref()`/`p.as_mut()` that is matched, alone or as an '
                                   'element of a tuple\n'
                                   '(`if let (Some(t), false) = (t, p.is_null())`), or a `match '
                                   'p.is_null()` whose\n'
                                   'null arm leaves (`true => return -1, false => {}`). A macro of '
                                   'the crate that\n'
                                   'does such a check and leaves otherwise before the rest of it '
                                   "runs (hyper's\n"
                                   '`non_null!(&*p ?= default)`, from another file too) checks the '
                                   'pointer its\n'
                                   'invocation names. Type aliases of pointers count as pointers. '
                                   'One finding per\n'
                                   'parameter, at its first unchecked use.\n'
                                   '\n'
                                   'Passing the parameter to a function of the crate that does one '
                                   'of those uses\n'
                                   'unchecked (`fn to_str(p: *const c_char) -> &str { '
                                   'CStr::from_ptr(p) .. }`),\n'
                                   'or hands it on unchecked to one that does (`fn keys(p) { '
                                   'to_str(p) }`), is\n'
                                   'a use too, reported at the call: check before the call, or in '
                                   'the helper.\n'
                                   'So is passing a reference to it to a helper that dereferences '
                                   'what it refers\n'
                                   'to (`params_unwrap(&p)` with `fn params_unwrap(r: &*mut T) { '
                                   '&**r }`).\n'
                                   'So is naming it to a macro of the crate whose transcriber uses '
                                   'it unchecked\n'
                                   "(pkgcraft's `iter_to_array!(iter, len, f)` writing `*$len = "
                                   '..`), reported at\n'
                                   'the invocation; uses inside macros the transcriber invokes are '
                                   'theirs.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'Callers pass null easily: from Go a zero-value struct field, '
                                   "an empty slice's\n"
                                   '`unsafe.SliceData`, a `C.CString` that was never made; from '
                                   'Python `None`.\n'
                                   'Dereferencing a null pointer in Rust is undefined behaviour; '
                                   'in practice a\n'
                                   'segmentation fault that takes the whole process down without a '
                                   'Go or Python\n'
                                   'stack trace. Release functions (`Box::from_raw(p)`, '
                                   '`CString::from_raw(p)`)\n'
                                   "are reported too: C's `free(NULL)` does nothing, so callers "
                                   'release without\n'
                                   'checking (a Go finalizer, an error path that frees what it '
                                   'has).\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_name_len(name: *const c_char) '
                                   '-> usize {\n'
                                   '    CStr::from_ptr(name).to_bytes().len()\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_name_len(name: *const c_char) '
                                   '-> usize {\n'
                                   '    if name.is_null() {\n'
                                   '        return 0;\n'
                                   '    }\n'
                                   '    CStr::from_ptr(name).to_bytes().len()\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Known problems\n'
                                   'A fallible call given the pointer itself '
                                   '(`validate(handle)?`), a macro\n'
                                   'whose name mentions null (`ffi_check_null!(p)`, which checks '
                                   'its arguments\n'
                                   'in order: `check_not_null!(p, *p)` reads `*p` after checking '
                                   '`p`), and a function whose name\n'
                                   'says it validates the pointer asked in an `if` that returns\n'
                                   '(`if received_invalid_pointer(p) { return .. }`) are taken as '
                                   'checks,\n'
                                   'without looking inside them. A local copy of the pointer (`let '
                                   'q = p.cast::<T>()`)\n'
                                   'is followed; a pointer stored in a struct is not. Helpers are '
                                   'followed up\n'
                                   'to four calls deep, by name (`f(p)`, `module::f(p)`, '
                                   '`Type::f(p)`), and\n'
                                   'only when every function of that name needs the pointer; '
                                   'methods and\n'
                                   'macros are not followed.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS102.md',
                  'id': 'RS102',
                  'level': 'error',
                  'name': 'ffi-unchecked-pointer',
                  'precision': 'high',
                  'security_severity': 7.5,
                  'summary': 'Checks for exported functions that use a raw-pointer parameter in a '
                             'way that requires it to be non-null (`*p`, `&*p`, `(*p).field`, '
                             '`CStr::from_ptr(p)`, `slice::from_raw_parts(p, n)`, '
                             '`Box::from_raw(p)`, `CString::from_raw(p)`, `ptr::read(p)`, '
                             '`p.read()`, either pointer of `ptr::copy_nonoverlapping(src, dst, '
                             'n)` or `dst.copy_from(src, n)`, `ptr::write_bytes(p, 0, n)`, ...; '
                             'these need a non-null pointer even when `n` is 0) without checking '
                             'it for null first on every path: `p.is_null()` with an early return '
                             "or in the branch's condition, a comparison with "
                             '`ptr::null()`/`null_mut()`, `NonNull::new(p)` or '
                             '`p.as_ref()`/`p.as_mut()` that is matched, alone or as an element of '
                             'a tuple (`if let (Some(t), false) = (t, p.is_null())`), or a `match '
                             'p.is_null()` whose null arm leaves (`true => return -1, false => '
                             '{}`).',
                  'tags': ['security', 'external/cwe/cwe-476']},
  'file_kinds': ['rust'],
  'id': 'RS102',
  'module': 'interop_lint.rules.rust.rs102_ffi_unchecked_pointer',
  'qualname': 'FfiUncheckedPointer'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for public `extern "C"` functions that are not declared '
                                   '`unsafe` but\n'
                                   'dereference a raw-pointer parameter (`*p`, `&*p`, '
                                   '`CStr::from_ptr(p)`,\n'
                                   '`slice::from_raw_parts(p, n)`, `p.read()`, `p.as_ref()`, '
                                   '`p.as_mut()`, ...:\n'
                                   '`as_ref` spares a null pointer, not a dangling one), usually '
                                   'inside an `unsafe\n'
                                   '{ }` block, or hand it to a function of the crate that '
                                   'dereferences it\n'
                                   "unchecked (ttf-parser's `font_from_ptr(font).ascender`, where "
                                   '`fn\n'
                                   "font_from_ptr(font: *const ttfp_font) -> &'static Font { "
                                   'unsafe { &*(font as\n'
                                   '*const Font) } }`: the helper RS102 follows), checked for null '
                                   'there or not\n'
                                   "(ja2-stracciatella's `unsafe_ref`, `assert!(!p.is_null()); "
                                   'unsafe { &*p }`: a\n'
                                   'null check spares the null pointer, not a dangling one), a few '
                                   'helpers deep,\n'
                                   "or another export that does (shadow's GLib `*Void` adapters), "
                                   'or name it to a\n'
                                   "macro of the crate that dereferences it (lightningcss's "
                                   '`unwrap!(parse(s),\n'
                                   'error, ..)` writing `*$error = ..`).\n'
                                   '\n'
                                   "This is clippy's `not_unsafe_ptr_arg_deref` for `pub extern` "
                                   'functions, a\n'
                                   'lint clippy denies by default: a crate-wide allow of it hides '
                                   'unsound\n'
                                   'exports (mmtk-ruby removed its own and made eleven exports '
                                   '`unsafe`), so it\n'
                                   'is no interop-lint suppression. With `follow-clippy-allows = '
                                   'true` in the\n'
                                   'configuration it is one: '
                                   '`#[allow(clippy::not_unsafe_ptr_arg_deref)]` or\n'
                                   '`#[expect(..)]` on the function, its `impl` or an enclosing '
                                   '`mod` (also in\n'
                                   '`cfg_attr`), the same as an inner attribute `#![allow(..)]` of '
                                   'its file or of\n'
                                   'a module above it up to the crate root, turns the rule off '
                                   'there. So does\n'
                                   "the lint's group, `clippy::correctness`; `clippy::all` does "
                                   'not.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'A safe function promises that no argument can cause undefined '
                                   'behaviour.\n'
                                   'This one cannot keep the promise: any caller, including safe '
                                   'Rust code in the\n'
                                   'crate or a test, can pass a dangling or misaligned pointer and '
                                   'corrupt\n'
                                   'memory without writing `unsafe`. Declaring it `unsafe` puts '
                                   'the obligation\n'
                                   'where it belongs, on the caller, and makes the contract '
                                   'visible.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_len(engine: *const Engine) -> usize '
                                   '{\n'
                                   '    unsafe { (*engine).items.len() }\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '/// # Safety\n'
                                   '/// `engine` must come from `engine_new` and not have been '
                                   'freed.\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_len(engine: *const Engine) -> '
                                   'usize {\n'
                                   '    (*engine).items.len()\n'
                                   '}\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS103.md',
                  'id': 'RS103',
                  'level': 'warning',
                  'name': 'ffi-safe-fn-derefs-pointer',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks for public `extern "C"` functions that are not declared '
                             '`unsafe` but dereference a raw-pointer parameter (`*p`, `&*p`, '
                             '`CStr::from_ptr(p)`, `slice::from_raw_parts(p, n)`, `p.read()`, '
                             '`p.as_ref()`, `p.as_mut()`, ...: `as_ref` spares a null pointer, not '
                             'a dangling one), usually inside an `unsafe { }` block, or hand it to '
                             "a function of the crate that dereferences it unchecked (ttf-parser's "
                             '`font_from_ptr(font).ascender`, where `fn font_from_ptr(font: *const '
                             "ttfp_font) -> &'static Font { unsafe { &*(font as *const Font) } }`: "
                             'the helper RS102 follows), checked for null there or not '
                             "(ja2-stracciatella's `unsafe_ref`, `assert!(!p.is_null()); unsafe { "
                             '&*p }`: a null check spares the null pointer, not a dangling one), a '
                             "few helpers deep, or another export that does (shadow's GLib `*Void` "
                             'adapters), or name it to a macro of the crate that dereferences it '
                             "(lightningcss's `unwrap!(parse(s), error, ..)` writing `*$error = "
                             '..`).',
                  'tags': ['external/cwe/cwe-822']},
  'file_kinds': ['rust'],
  'id': 'RS103',
  'module': 'interop_lint.rules.rust.rs103_ffi_safe_fn_derefs_pointer',
  'qualname': 'FfiSafeFnDerefsPointer'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks the parameter and return types of exported functions '
                                   'for types that\n'
                                   'have no C layout and cross the boundary by value: a struct or '
                                   'enum of the\n'
                                   'crate without `#[repr(C)]` / `#[repr(transparent)]` (or an '
                                   'integer `repr` on\n'
                                   'an enum; one given under `#[cfg_attr(feature = "ffi", '
                                   'repr(C))]` counts);\n'
                                   '`String`, `Vec<T>`, `CString`, `Result`, `Option<T>` other '
                                   'than `Option` of a\n'
                                   'reference, `Box`, `NonNull` or `extern fn`; `&str`, `&[T]`, '
                                   '`&CStr`,\n'
                                   '`Box<[T]>` and other fat pointers; tuples; `char`; trait '
                                   'objects; arrays `[T;\n'
                                   'N]` by value; and Rust-ABI function pointers (`fn(..)` instead '
                                   'of `extern "C"\n'
                                   'fn(..)`). Type aliases and `use .. as` renames are followed. '
                                   'Pointers to types\n'
                                   'without C layout are fine: that is the opaque handle pattern.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'The C declaration Go compiles against cannot describe these '
                                   'types, so the\n'
                                   'two sides disagree on size, field order or calling convention. '
                                   'A `&str`\n'
                                   'is two words on the Rust side and one `char *` on the C side; '
                                   'a `String`\n'
                                   'returned by value is freed by nobody; a `fn(..)` pointer '
                                   'called from C uses\n'
                                   'the wrong calling convention. The result is garbage values or '
                                   'a crash far\n'
                                   'from the cause.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   'pub struct Stats { hits: u64, misses: u64 }\n'
                                   '\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_stats(name: &str) -> Stats { /* .. */ '
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '#[repr(C)]\n'
                                   'pub struct Stats { hits: u64, misses: u64 }\n'
                                   '\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_stats(name: *const c_char) -> '
                                   'Stats { /* .. */ }\n'
                                   '```\n'
                                   '\n'
                                   '## Known problems\n'
                                   'Types of other crates are not read. `Option` of a name that is '
                                   'neither the\n'
                                   "crate's nor the standard library's "
                                   '(`Option<logging::LogCallback>`, an\n'
                                   '`extern "C" fn` alias of another workspace crate) is taken to '
                                   'be a nullable\n'
                                   'pointer rather than reported.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS104.md',
                  'id': 'RS104',
                  'level': 'error',
                  'name': 'ffi-unsafe-type',
                  'precision': 'high',
                  'security_severity': 6.5,
                  'summary': 'Checks the parameter and return types of exported functions for '
                             'types that have no C layout and cross the boundary by value: a '
                             'struct or enum of the crate without `#[repr(C)]` / '
                             '`#[repr(transparent)]` (or an integer `repr` on an enum; one given '
                             'under `#[cfg_attr(feature = "ffi", repr(C))]` counts); `String`, '
                             '`Vec<T>`, `CString`, `Result`, `Option<T>` other than `Option` of a '
                             'reference, `Box`, `NonNull` or `extern fn`; `&str`, `&[T]`, `&CStr`, '
                             '`Box<[T]>` and other fat pointers; tuples; `char`; trait objects; '
                             'arrays `[T; N]` by value; and Rust-ABI function pointers (`fn(..)` '
                             'instead of `extern "C" fn(..)`).',
                  'tags': ['security', 'external/cwe/cwe-704']},
  'file_kinds': ['rust'],
  'id': 'RS104',
  'module': 'interop_lint.rules.rust.rs104_ffi_unsafe_type',
  'qualname': 'FfiUnsafeType'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for exported functions that hand Rust-allocated memory '
                                   'to the caller\n'
                                   '(returned, or written through an out-parameter) — '
                                   '`CString::into_raw`,\n'
                                   "`Box::into_raw`, `Box::leak`, a `Vec`'s pointer after "
                                   '`mem::forget` or\n'
                                   '`ManuallyDrop::new` — when no exported function of the crate '
                                   'gives that kind\n'
                                   'of memory back to Rust (`CString::from_raw`, `Box::from_raw` '
                                   'of the same type,\n'
                                   '`Vec::from_raw_parts`, or a `Box<T>` / `Option<Box<T>>` '
                                   'parameter the export\n'
                                   'drops: `fn error_free(_e: Option<Box<Error>>) {}`). A '
                                   "forgotten `Vec`'s\n"
                                   'pointer is handed out when it is taken directly '
                                   '(`v.as_mut_ptr()`), through a\n'
                                   'reborrow (`let s = &v[..]; s.as_ptr()`), by a conversion of a '
                                   'borrow\n'
                                   '(`Buffer::from(&v[..])`, `(&v[..]).into()`) or by a function '
                                   'of the file that\n'
                                   "takes its argument's pointer (`to_buffer(&v)`); so is a `Vec` "
                                   "field's pointer\n"
                                   'when the struct that owns it is forgotten (`*out = '
                                   'res.rows.as_mut_ptr();\n'
                                   'mem::forget(res)`). Helpers that exports call and whose result '
                                   'they hand on\n'
                                   'count as the export. Releases in functions an export calls '
                                   'count, and so do\n'
                                   "releases of pointers a handle kept in a field's collection, "
                                   'given back when\n'
                                   'the handle is freed (`while let Some(p) = it.name_ptrs.pop() '
                                   '{\n'
                                   'CString::from_raw(p); }`, `for p in set.labels.drain(..)`), '
                                   'and releases of\n'
                                   'the elements of an array the caller passes\n'
                                   '(`CString::from_raw(*names.add(i))`, or `Box::from_raw` of '
                                   '`r.values` for each\n'
                                   '`r` of `slice::from_raw_parts_mut(results, n)`).\n'
                                   '\n'
                                   'Opaque handles: memory is matched by its type in Rust and also '
                                   'by the type C\n'
                                   'sees. A `Box<Session>` handed out as `*mut session_handle` is '
                                   'given back by an\n'
                                   'export that takes a `*mut session_handle` and releases it as '
                                   'any type\n'
                                   '(`Box::from_raw(h as *mut Session)`, or `Box::from_raw(s)` of '
                                   'a reference\n'
                                   '`s: &mut Session` made from `h`: `(h as *mut '
                                   'Session).as_mut()`, `&mut *h`, a\n'
                                   'macro given `h`).\n'
                                   '\n'
                                   'A method of a trait implemented for a type (`impl Clone for '
                                   'Buf`) is not\n'
                                   "reported for memory of a kind that the type's own `impl Drop` "
                                   'gives back\n'
                                   '(`Vec::from_raw_parts(self.ptr, ..)`): the value owns that '
                                   'memory and frees\n'
                                   'it when it is dropped, as the export that frees the value '
                                   'drops it. A\n'
                                   '`Drop` written by a derive macro '
                                   '(`#[derive(DropStructMacro)]`, any derive\n'
                                   'with `Drop` in its name) cannot be read: it counts for every '
                                   'kind.\n'
                                   '\n'
                                   'Memory kept in a field of a struct that is handed out boxed\n'
                                   '(`Box::into_raw(Box::new(Error { message: '
                                   'CString::new(m)?.into_raw() }))`)\n'
                                   'is handed out too: freeing the box does not free a raw-pointer '
                                   'field, unless\n'
                                   "the struct's own `Drop` gives it back, or a free function "
                                   'reads it from the\n'
                                   'unboxed value '
                                   '(`CString::from_raw(Box::from_raw(err).message)`).\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   "Memory from Rust's allocator must be freed by Rust, with the "
                                   'type it was\n'
                                   'allocated as. Without a release export the caller (Go, Python) '
                                   'has two\n'
                                   'choices, both wrong: never free it (a leak on every call) or '
                                   'call `C.free` on it (undefined\n'
                                   'behaviour: a different allocator, and for a `Box` or `Vec` the '
                                   'wrong layout).\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_version() -> *mut c_char {\n'
                                   '    CString::new(VERSION).unwrap().into_raw()\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_version() -> *mut c_char {\n'
                                   '    CString::new(VERSION).unwrap().into_raw()\n'
                                   '}\n'
                                   '\n'
                                   '/// # Safety\n'
                                   '/// `s` must come from this library and must not be used '
                                   'afterwards.\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_string_free(s: *mut c_char) {\n'
                                   '    if !s.is_null() {\n'
                                   '        drop(CString::from_raw(s));\n'
                                   '    }\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Known problems\n'
                                   'When the type inside a `Box` or `Vec` cannot be told from the '
                                   'code (a\n'
                                   'buffer behind a struct field of another crate), any release of '
                                   'the same\n'
                                   'family counts as its release. A `free(p: *mut c_void)` that '
                                   'calls\n'
                                   '`Box::from_raw(p)` frees a `Box<c_void>` (the wrong layout, '
                                   'and no\n'
                                   'destructor runs): it gives back no other type, and the finding '
                                   'says so. `Arc::into_raw` /\n'
                                   '`Rc::into_raw` are not followed.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS105.md',
                  'id': 'RS105',
                  'level': 'error',
                  'name': 'ffi-leaked-allocation',
                  'precision': 'high',
                  'security_severity': 5.0,
                  'summary': 'Checks for exported functions that hand Rust-allocated memory to the '
                             'caller (returned, or written through an out-parameter) — '
                             "`CString::into_raw`, `Box::into_raw`, `Box::leak`, a `Vec`'s pointer "
                             'after `mem::forget` or `ManuallyDrop::new` — when no exported '
                             'function of the crate gives that kind of memory back to Rust '
                             '(`CString::from_raw`, `Box::from_raw` of the same type, '
                             '`Vec::from_raw_parts`, or a `Box<T>` / `Option<Box<T>>` parameter '
                             'the export drops: `fn error_free(_e: Option<Box<Error>>) {}`).',
                  'tags': ['security', 'external/cwe/cwe-401', 'external/cwe/cwe-762']},
  'file_kinds': ['rust'],
  'id': 'RS105',
  'module': 'interop_lint.rules.rust.rs105_ffi_leaked_allocation',
  'qualname': 'FfiLeakedAllocation'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for `.as_ptr()` / `.as_mut_ptr()` pointers into memory '
                                   'that is freed\n'
                                   'before the pointer is used: on a temporary that owns memory\n'
                                   '(`CString::new(s).unwrap().as_ptr()`, `format!(..).as_ptr()`,\n'
                                   '`name.to_string().as_ptr()`, a function of the same file '
                                   'declared to return\n'
                                   'a `CString`, `String` or `Vec`) when the pointer is kept in a '
                                   'variable,\n'
                                   'stored, returned, or returned from a closure '
                                   '(`args.iter().map(|a|\n'
                                   'CString::new(a.as_str()).unwrap().as_ptr())`); or on a local\n'
                                   '`CString`/`String`/`Vec` whose pointer is returned or written '
                                   'to an\n'
                                   'out-parameter or static while the local itself drops at the '
                                   'end of the\n'
                                   'function, or is used after the inner block or closure that '
                                   'declares the\n'
                                   "local; or on a closure's parameter that owns its memory, "
                                   'returned from the\n'
                                   'closure (`title.map_or(ptr::null(), |s| s.as_ptr())` on an '
                                   '`Option<CString>`,\n'
                                   'which hands the closure the `CString` itself; '
                                   '`title.as_ref().map_or(..)`\n'
                                   'lends it); or on an owner a pattern takes by value, given away '
                                   'by its match\n'
                                   'arm or `if let` block (`match CString::new(path) { Ok(s) => '
                                   's.as_ptr(), .. }`).\n'
                                   "A temporary's pointer passed straight into a call is valid for "
                                   'that call and\n'
                                   'is not reported. A `macro_rules!` macro of the crate whose '
                                   'value is such a\n'
                                   'pointer (`macro_rules! str_conv { ($s:expr) => { '
                                   'CString::new($s).unwrap()\n'
                                   ".as_ptr() } }`) is reported where an invocation's value is "
                                   'kept\n'
                                   '(`let name = str_conv!("abuffer");`).\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'The owner frees its buffer when it is dropped: a temporary at '
                                   'the end of the\n'
                                   'statement, a local at the end of its scope. The pointer then '
                                   'points into\n'
                                   'freed memory. It often still works in tests, because the '
                                   'allocator has not\n'
                                   "reused the block yet, and then Go reads another request's data "
                                   'or crashes.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_name() -> *const c_char {\n'
                                   '    let name = CString::new("engine").unwrap();\n'
                                   '    name.as_ptr()\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_name() -> *mut c_char {\n'
                                   '    CString::new("engine").unwrap().into_raw() // and export a '
                                   'function that frees it\n'
                                   '}\n'
                                   '```\n'
                                   'For a constant, `c"engine".as_ptr()` points into static memory '
                                   'and is fine.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS106.md',
                  'id': 'RS106',
                  'level': 'error',
                  'name': 'ffi-dangling-pointer',
                  'precision': 'high',
                  'security_severity': 8.0,
                  'summary': 'Checks for `.as_ptr()` / `.as_mut_ptr()` pointers into memory that '
                             'is freed before the pointer is used: on a temporary that owns memory '
                             '(`CString::new(s).unwrap().as_ptr()`, `format!(..).as_ptr()`, '
                             '`name.to_string().as_ptr()`, a function of the same file declared to '
                             'return a `CString`, `String` or `Vec`) when the pointer is kept in a '
                             'variable, stored, returned, or returned from a closure '
                             '(`args.iter().map(|a| CString::new(a.as_str()).unwrap().as_ptr())`); '
                             'or on a local `CString`/`String`/`Vec` whose pointer is returned or '
                             'written to an out-parameter or static while the local itself drops '
                             'at the end of the function, or is used after the inner block or '
                             "closure that declares the local; or on a closure's parameter that "
                             'owns its memory, returned from the closure '
                             '(`title.map_or(ptr::null(), |s| s.as_ptr())` on an '
                             '`Option<CString>`, which hands the closure the `CString` itself; '
                             '`title.as_ref().map_or(..)` lends it); or on an owner a pattern '
                             'takes by value, given away by its match arm or `if let` block '
                             '(`match CString::new(path) { Ok(s) => s.as_ptr(), ..',
                  'tags': ['security', 'external/cwe/cwe-416', 'external/cwe/cwe-825']},
  'file_kinds': ['rust'],
  'id': 'RS106',
  'module': 'interop_lint.rules.rust.rs106_ffi_dangling_pointer',
  'qualname': 'FfiDanglingPointer'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for exported functions that read or write a `static '
                                   'mut` of their crate\n'
                                   '(in their body or in a macro they invoke: a macro written in '
                                   'the invocation,\n'
                                   'or a `macro_rules!` of the crate whose body names the static, '
                                   '`client!()`\n'
                                   'reading `static mut CLIENT`), or in a function of the crate it '
                                   'calls by name,\n'
                                   'a few calls deep (`set_last_error(..)` writing `static mut '
                                   'LAST_ERROR` in its\n'
                                   'file; methods are not followed). The finding is at the first '
                                   'use, or at the\n'
                                   'call of the macro or helper.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'Go calls exported functions from whichever OS thread the '
                                   'goroutine runs on,\n'
                                   'many at once; Python threads call them at once too. '
                                   'Unsynchronised access to\n'
                                   'a `static mut` from several threads is a data race: undefined '
                                   'behaviour in\n'
                                   'Rust, lost updates and torn values in practice. Rust 2024 '
                                   'rejects references\n'
                                   'to `static mut` for this reason.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   'static mut CALLS: u64 = 0;\n'
                                   '\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_tick() -> u64 {\n'
                                   '    unsafe {\n'
                                   '        CALLS += 1;\n'
                                   '        CALLS\n'
                                   '    }\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   'static CALLS: AtomicU64 = AtomicU64::new(0);\n'
                                   '\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_tick() -> u64 {\n'
                                   '    CALLS.fetch_add(1, Ordering::Relaxed) + 1\n'
                                   '}\n'
                                   '```\n'
                                   'Use a `Mutex` or `OnceLock` for anything larger than a word, '
                                   'and take the lock\n'
                                   'without `.unwrap()` '
                                   '(`.lock().unwrap_or_else(PoisonError::into_inner)`): a\n'
                                   "poisoned lock's `unwrap` is a panic at the boundary (RS101).\n"
                                   '\n'
                                   '## Known problems\n'
                                   'Uses inside a closure run by `Once::call_once` / '
                                   '`OnceLock::get_or_init`,\n'
                                   'and uses after the function took a lock (`.lock()`), are taken '
                                   'as\n'
                                   'serialised without checking that every other access takes the '
                                   'same lock.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS107.md',
                  'id': 'RS107',
                  'level': 'warning',
                  'name': 'ffi-static-mut',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks for exported functions that read or write a `static mut` of '
                             'their crate (in their body or in a macro they invoke: a macro '
                             'written in the invocation, or a `macro_rules!` of the crate whose '
                             'body names the static, `client!()` reading `static mut CLIENT`), or '
                             'in a function of the crate it calls by name, a few calls deep '
                             '(`set_last_error(..)` writing `static mut LAST_ERROR` in its file; '
                             'methods are not followed).',
                  'tags': ['external/cwe/cwe-362']},
  'file_kinds': ['rust'],
  'id': 'RS107',
  'module': 'interop_lint.rules.rust.rs107_ffi_static_mut',
  'qualname': 'FfiStaticMut'},
 {'cross_language': False,
  'description': {'documentation': '## What it does\n'
                                   'Checks for exported `pub unsafe extern` functions whose '
                                   'documentation has no\n'
                                   '`# Safety` section.\n'
                                   '\n'
                                   "This is clippy's `missing_safety_doc` for exports. It reads "
                                   'the doc as clippy\n'
                                   'does: a Markdown heading whose text is `Safety` (or `SAFETY`,\n'
                                   '`Implementation safety`), at any level; `#Safety` without a '
                                   'space is no\n'
                                   'heading, nor is `# Safety:`.\n'
                                   '\n'
                                   "Clippy's own switch for the lint is not an interop-lint "
                                   'suppression (as\n'
                                   'clippy and ruff honour only theirs; use `// interop-lint: '
                                   'ignore[RS108]`).\n'
                                   'With `follow-clippy-allows = true` in the configuration it is '
                                   'one:\n'
                                   '`#[allow(clippy::missing_safety_doc)]` or `#[expect(..)]` on '
                                   'the function,\n'
                                   'its `impl` or an enclosing `mod` (also in `cfg_attr`), the '
                                   'same as an inner\n'
                                   'attribute `#![allow(..)]` of its file or of a module above it '
                                   'up to the\n'
                                   "crate root, turns the rule off there. So does the lint's "
                                   'group,\n'
                                   '`clippy::style`; `clippy::all` does not.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'An `unsafe fn` shifts obligations to its caller: which '
                                   'pointers may be null,\n'
                                   'how long they must live, who frees what, which thread may '
                                   'call. The caller\n'
                                   'here is a Go programmer reading the header or the Rust docs; '
                                   'without a\n'
                                   "`# Safety` section the contract exists only in the author's "
                                   'head, and the\n'
                                   "Go side gets it wrong. Clippy's `missing_safety_doc` asks the "
                                   'same of every\n'
                                   'public `unsafe fn`.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '/// Frees an engine.\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_free(engine: *mut Engine) {\n'
                                   '    drop(Box::from_raw(engine));\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '/// Frees an engine.\n'
                                   '///\n'
                                   '/// # Safety\n'
                                   '/// `engine` must come from `engine_new` and must not be used '
                                   'afterwards.\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_free(engine: *mut Engine) {\n'
                                   '    drop(Box::from_raw(engine));\n'
                                   '}\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/RS108.md',
                  'id': 'RS108',
                  'level': 'note',
                  'name': 'ffi-missing-safety-doc',
                  'precision': 'very-high',
                  'security_severity': None,
                  'summary': 'Checks for exported `pub unsafe extern` functions whose '
                             'documentation has no `# Safety` section.',
                  'tags': []},
  'file_kinds': ['rust'],
  'id': 'RS108',
  'module': 'interop_lint.rules.rust.rs108_ffi_missing_safety_doc',
  'qualname': 'FfiMissingSafetyDoc'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   'Checks that every C declaration of a Rust export, in a header '
                                   'or a cgo\n'
                                   'preamble, agrees with the Rust function: the same number of '
                                   'parameters,\n'
                                   'equivalent parameter types, and an equivalent return type '
                                   '(`void` for a\n'
                                   'function that returns nothing). Types are equivalent by the '
                                   'ABI, not by\n'
                                   'spelling: `int`, `int32_t`, `i32` and `c_int` are one type, '
                                   '`size_t` is\n'
                                   '`usize`, `const char *` is `*const c_char`, typedefs, type '
                                   'aliases and `use`\n'
                                   'renames are resolved, and a `#[repr(transparent)]` struct is '
                                   'its one field\n'
                                   'that is not zero-sized. So is the C struct that mirrors such a '
                                   'wrapper when\n'
                                   'that field is all it holds (cbindgen writes a `bitflags!` type '
                                   'as `typedef\n'
                                   'struct { uint32_t bits; } Flags;`): a struct of one scalar is '
                                   'passed and\n'
                                   'returned as the scalar, so it equals a `uint32_t` and differs '
                                   'from a\n'
                                   '`uint64_t` as the field does. An export declared in an `impl` '
                                   'block takes its\n'
                                   'receiver first, as cbindgen writes it (`&self` is `const T '
                                   '*self`), and its\n'
                                   "`Self` is the impl's type. A pointer to an array is a pointer "
                                   'to its first\n'
                                   'element: a C array parameter `const uint8_t txid[32]` (which C '
                                   'reads as `const\n'
                                   "uint8_t *`) is Rust's `*const [u8; 32]`. A field-less "
                                   '`#[repr(u8)]` enum is a\n'
                                   '`uint8_t`, a field-less `#[repr(C)]` one is `int`-sized, so '
                                   '`typedef uint8_t\n'
                                   'Mode` for it differs; behind a pointer, a field-less enum of a '
                                   'primitive repr\n'
                                   'is also the opaque handle a header may declare by its name '
                                   '(`typedef struct\n'
                                   "Handle Handle;` for weld's `#[repr(u64)] enum Handle { _Opaque "
                                   '}`). Rust\n'
                                   '`bool` written as a byte (`unsigned char`, `uint8_t`) has the '
                                   'same size and\n'
                                   'passing on every supported ABI and is reported as a warning: '
                                   'only a value\n'
                                   'other than 0 or 1 breaks it. A pointer whose constness alone '
                                   'differs is\n'
                                   'reported as a warning, and only in the direction that can '
                                   'break something:\n'
                                   '\n'
                                   '- a parameter C declares `const char *` that Rust takes as '
                                   '`*mut c_char`:\n'
                                   '  Rust may write to memory C callers consider read-only (a C '
                                   '`char *` for a\n'
                                   '  Rust `*const c_char` is fine: C callers may pass anything, '
                                   'Rust only reads);\n'
                                   '- a result C declares `char *` that Rust returns as `*const '
                                   'c_char`: C\n'
                                   '  callers may write to memory Rust considers immutable (a C '
                                   '`const char *`\n'
                                   '  for a Rust `*mut c_char` is fine: C callers only read, and '
                                   'so is a\n'
                                   '  `gifski *` for a `*const GifskiHandle` when C only declares '
                                   'the struct:\n'
                                   '  C cannot write through it).\n'
                                   '\n'
                                   "A header's own name for an opaque type (`lol_html_doctype_t` "
                                   "for the crate's\n"
                                   "`Doctype`) is not compared with the crate's, but its pointers' "
                                   'constness is.\n'
                                   'A struct the header defines under another name than the '
                                   "crate's `#[repr(C)]`\n"
                                   'struct (a rename the header missed: `struct Array` for '
                                   '`ExternalArray`) is\n'
                                   'compared field by field, by value or through a pointer: the '
                                   'same layout is\n'
                                   'no finding, another is (with the first fields that differ).\n'
                                   '\n'
                                   'This holds for the outermost pointer only. A constness '
                                   'difference deeper\n'
                                   'down (`const char **` against `*mut *mut c_char`) is always '
                                   'reported: through\n'
                                   'a pointer to a pointer either side can store a pointer to '
                                   'read-only memory\n'
                                   'where the other expects writable memory.\n'
                                   '\n'
                                   'All differences of a declaration are reported in one finding, '
                                   'the three\n'
                                   'most important named (a type that differs before a '
                                   'warning-level detail),\n'
                                   'the number of the others after them. A type spelled through a '
                                   'typedef, an\n'
                                   'alias, an enum or a wrapper is shown with what it resolves to: '
                                   '`Level`\n'
                                   '(`int32_t`) here but `Level` (`u8`) in Rust.\n'
                                   '\n'
                                   'Named types are compared by the names cbindgen gives the '
                                   "crate's types: the\n"
                                   '`[export] prefix` and `[export.rename]` of a `cbindgen.toml` '
                                   'next to the\n'
                                   "crate's Cargo.toml, else the nearest above it (a workspace's) "
                                   '(`struct\n'
                                   'polar_Query *` is a Rust `*mut Query` under `prefix = '
                                   '"polar_"`), and its\n'
                                   'mangled names of generic structs and of generic enums whose '
                                   'variants carry\n'
                                   'data (`CResult_c_void` is `CResult<c_void>`, '
                                   '`FfiResult_____Object` is\n'
                                   '`FfiResult<*mut Object>`). Two named types differ only when '
                                   'both are types of\n'
                                   "the Rust side: declared by the crate, listed in the config's "
                                   '`include`, or,\n'
                                   'under a prefix or renames, declared by the header in the '
                                   "crate's spelling (an\n"
                                   'opaque `typedef struct polar_Polar polar_Polar;` for a type '
                                   'the crate\n'
                                   'imports). A C name of its own (`engine_t *` for a `*mut '
                                   'Engine`), or a generic\n'
                                   "struct's bare name, is never a difference.\n"
                                   '\n'
                                   '## Why is this bad?\n'
                                   'Neither compiler sees both sides. Go compiles against the C '
                                   'declaration,\n'
                                   'Rust against its own signature, and the linker only matches '
                                   'names. A\n'
                                   'parameter declared `int32_t` for a Rust `usize` passes half a '
                                   'length; a\n'
                                   '`void` declaration of a function that returns a pointer leaks '
                                   'it; a\n'
                                   'missing parameter leaves Rust reading whatever is in the '
                                   'register. The\n'
                                   'result is memory corruption that no test of either side alone '
                                   'can find.\n'
                                   '\n'
                                   '## Example\n'
                                   '```c\n'
                                   '// include/engine.h\n'
                                   'int32_t engine_fill(engine_t *engine, const uint8_t *data, '
                                   'int32_t len);\n'
                                   '```\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub unsafe extern "C" fn engine_fill(engine: *mut Engine, '
                                   'data: *const u8, len: usize) -> i32 {\n'
                                   '    // ...\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```c\n'
                                   'int32_t engine_fill(engine_t *engine, const uint8_t *data, '
                                   'size_t len);\n'
                                   '```\n'
                                   'or generate the header from the crate with cbindgen.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL101.md',
                  'id': 'XL101',
                  'level': 'error',
                  'name': 'abi-signature-mismatch',
                  'precision': 'high',
                  'security_severity': 8.1,
                  'summary': 'Checks that every C declaration of a Rust export, in a header or a '
                             'cgo preamble, agrees with the Rust function: the same number of '
                             'parameters, equivalent parameter types, and an equivalent return '
                             'type (`void` for a function that returns nothing).',
                  'tags': ['security', 'external/cwe/cwe-628', 'external/cwe/cwe-686']},
  'file_kinds': ['c-header', 'go'],
  'id': 'XL101',
  'module': 'interop_lint.rules.cross.xl101_abi_signature_mismatch',
  'qualname': 'AbiSignatureMismatch'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   'Checks for Go calls `C.name(...)` of a function that a header '
                                   'or the cgo\n'
                                   "preamble of the repository declares as part of a Rust crate's "
                                   'binding, but\n'
                                   'that nothing in the repository provides: no Rust crate exports '
                                   'it and no C\n'
                                   'code defines it. A `static inline` function defined in the '
                                   'preamble or a\n'
                                   'header, a C definition in a `.c` file, and C library functions '
                                   '(`free`,\n'
                                   '`strlen`, ...) are provided. So is a Rust function exported '
                                   'under the name\n'
                                   'with the Rust ABI (`#[no_mangle] pub fn`, no `extern "C"`): it '
                                   'links, and\n'
                                   'XL108 reports it.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'cgo compiles the call against the declaration and leaves the '
                                   'symbol to the\n'
                                   'linker. When the Rust function was renamed or removed, or its\n'
                                   '`#[no_mangle]` dropped, the binding is stale: the build fails '
                                   'at link time\n'
                                   'with an `undefined reference`, far from the cause, or, when '
                                   'the library is\n'
                                   'loaded dynamically, the program crashes on the first call.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   '// #include "engine.h"   // declares int32_t '
                                   'engine_reset(engine_t *e);\n'
                                   'import "C"\n'
                                   '\n'
                                   'func Reset(e *C.engine_t) { C.engine_reset(e) }  // the crate '
                                   'now exports engine_restart\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func Reset(e *C.engine_t) { C.engine_restart(e) }\n'
                                   '```\n'
                                   'with the header declaring what the crate exports (regenerate '
                                   'it with cbindgen).',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL102.md',
                  'id': 'XL102',
                  'level': 'error',
                  'name': 'abi-missing-symbol',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks for Go calls `C.name(...)` of a function that a header or the '
                             "cgo preamble of the repository declares as part of a Rust crate's "
                             'binding, but that nothing in the repository provides: no Rust crate '
                             'exports it and no C code defines it.',
                  'tags': []},
  'file_kinds': ['go'],
  'id': 'XL102',
  'module': 'interop_lint.rules.cross.xl102_abi_missing_symbol',
  'qualname': 'AbiMissingSymbol'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   'Checks that a C struct in a header or cgo preamble and the '
                                   '`#[repr(C)]`\n'
                                   'Rust struct of the same name (C typedef names count: `typedef '
                                   'struct {..}\n'
                                   'Point;` is `Point`) have the same fields: the same number, in '
                                   'the same\n'
                                   'order, of equivalent types. Types compare as in XL101 '
                                   '(`int32_t` is `i32`,\n'
                                   '`const char *` is `*const c_char`, arrays by element and '
                                   'length, a\n'
                                   '`#[repr(C)]` field-less enum is `int`-sized, a '
                                   '`#[repr(transparent)]`\n'
                                   'wrapper and a C struct of its one field are that field). A '
                                   'Rust pointer to an\n'
                                   'unsized type (`&str`, `&[u8]`, `*const CStr`, `Box<dyn '
                                   'Trait>`) is two words,\n'
                                   'address and length or vtable, so no C scalar or pointer '
                                   'matches it. A field whose pointer\n'
                                   'constness alone differs, or a byte for a Rust `bool`, is a '
                                   'warning. One\n'
                                   'finding per struct names every field whose type differs, each '
                                   'with what\n'
                                   'its typedef or alias resolves to.\n'
                                   '\n'
                                   'The C struct is found under the name cbindgen gives the Rust '
                                   'one, with the\n'
                                   "crate's `cbindgen.toml` prefix and renames (`polar_Query` is "
                                   '`Query` under\n'
                                   '`prefix = "polar_"`). An instance of a generic struct is '
                                   'compared with its\n'
                                   'parameters filled in: `typedef struct CResult_c_char {..}` '
                                   'against\n'
                                   '`CResult<T>` with `T` = `c_char`.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'Both sides read the same bytes through their own definition. '
                                   'One field\n'
                                   'more, two fields swapped or an `int32_t` where Rust has an '
                                   '`i64` shifts\n'
                                   'every field after it: Rust reads a length where Go wrote a '
                                   'pointer. Nothing\n'
                                   'fails at build time, and the corruption shows up far from its '
                                   'cause.\n'
                                   '\n'
                                   '## Example\n'
                                   '```c\n'
                                   'typedef struct Stats {\n'
                                   '    uint64_t count;\n'
                                   '    double mean;\n'
                                   '} Stats;\n'
                                   '```\n'
                                   '```rust\n'
                                   '#[repr(C)]\n'
                                   'pub struct Stats {\n'
                                   '    pub mean: f64,\n'
                                   '    pub count: u64,\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   'Declare the fields in the same order, with the same types, on '
                                   'both sides,\n'
                                   'or generate the header from the crate with cbindgen.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL103.md',
                  'id': 'XL103',
                  'level': 'error',
                  'name': 'abi-struct-layout-mismatch',
                  'precision': 'high',
                  'security_severity': 8.1,
                  'summary': 'Checks that a C struct in a header or cgo preamble and the '
                             '`#[repr(C)]` Rust struct of the same name (C typedef names count: '
                             '`typedef struct {..} Point;` is `Point`) have the same fields: the '
                             'same number, in the same order, of equivalent types.',
                  'tags': ['security', 'external/cwe/cwe-188']},
  'file_kinds': ['c-header', 'go'],
  'id': 'XL103',
  'module': 'interop_lint.rules.cross.xl103_abi_struct_layout_mismatch',
  'qualname': 'AbiStructLayoutMismatch'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   'Checks that a header generated from a Rust crate (a cbindgen '
                                   'output) or\n'
                                   "written for it (its declarations are that crate's exports) "
                                   'still matches the\n'
                                   'crate: every exported function of the crate is declared in one '
                                   'of its headers,\n'
                                   'and every function the header declares is still exported (or '
                                   'defined in C, or\n'
                                   'a Go callback exported with `//export` that the crate calls '
                                   'back). Only `.h`\n'
                                   'files are compared, not cgo preambles; the `header-globs` '
                                   'setting chooses\n'
                                   'which headers count. A handwritten header that binds only a '
                                   'part of a crate on\n'
                                   'purpose (less than half of its exports) is not asked to '
                                   'declare the rest, nor\n'
                                   'is any header asked to declare what cbindgen is told to leave '
                                   'out: a function\n'
                                   'documented `/// cbindgen:ignore` (or `cbindgen:no-export`), '
                                   'one inside a `mod`\n'
                                   'or `impl` block so documented, in a file whose inner doc '
                                   'comment says so (`//!\n'
                                   'cbindgen:ignore`) or in the file of a module so documented '
                                   'where it is\n'
                                   'declared (`/// cbindgen:ignore` above `mod legacy;`, and the '
                                   'modules below\n'
                                   "it), one the crate's `cbindgen.toml` lists in `[export] "
                                   'exclude`, and one that\n'
                                   'is not `pub` (cbindgen writes `pub` functions only; a private '
                                   '`#[no_mangle]`\n'
                                   'function is a symbol the crate keeps to itself). A header that '
                                   'declares such a\n'
                                   'function is still checked the other way: the crate must export '
                                   'it. A\n'
                                   'declaration of a function the crate exports with the Rust ABI '
                                   '(`#[no_mangle]\n'
                                   'pub fn`, no `extern "C"`) is XL108\'s finding.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   "A header is a copy of the crate's interface, and copies drift. "
                                   'An export\n'
                                   'missing from the header cannot be called from Go at all; a '
                                   'declaration the\n'
                                   'crate no longer exports compiles and then fails to link, or '
                                   'binds a\n'
                                   'function that now means something else. Either way the header '
                                   'no longer\n'
                                   'says what the library does.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_restart(engine: *mut Engine) -> i32 { '
                                   '/* ... */ }\n'
                                   '```\n'
                                   '```c\n'
                                   '/* Generated with cbindgen:0.26.0 */\n'
                                   'int32_t engine_reset(Engine *engine); /* renamed in Rust; no '
                                   'engine_restart here */\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   'Regenerate the header (`cbindgen --output include/engine.h`) '
                                   'whenever the\n'
                                   "crate's exports change, and check it in CI; or fix the "
                                   'handwritten header.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL104.md',
                  'id': 'XL104',
                  'level': 'warning',
                  'name': 'abi-header-drift',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks that a header generated from a Rust crate (a cbindgen output) '
                             "or written for it (its declarations are that crate's exports) still "
                             'matches the crate: every exported function of the crate is declared '
                             'in one of its headers, and every function the header declares is '
                             'still exported (or defined in C, or a Go callback exported with '
                             '`//export` that the crate calls back).',
                  'tags': []},
  'file_kinds': ['c-header', 'rust'],
  'id': 'XL104',
  'module': 'interop_lint.rules.cross.xl104_abi_header_drift',
  'qualname': 'AbiHeaderDrift'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   "Checks for memory freed by the other side's allocator: a "
                                   'pointer from\n'
                                   "Rust's allocator that Go passes to `C.free`, or memory from "
                                   "C's allocator\n"
                                   'that a Rust export takes over with `from_raw`.\n'
                                   '\n'
                                   'On the Go side: a pointer returned by a Rust export that hands '
                                   'out memory\n'
                                   "from Rust's allocator (`CString::into_raw`, `Box::into_raw`, "
                                   '`Box::leak`, a\n'
                                   'forgotten `Vec`), passed to `C.free` — directly, deferred, in '
                                   'a deferred\n'
                                   'closure, through local variables and conversions, after '
                                   '`C.GoString(p)`, or\n'
                                   'through a function of the package that frees its parameter. On '
                                   'the Rust\n'
                                   'side: an export that calls `CString::from_raw` or '
                                   '`Box::from_raw` on a\n'
                                   'parameter that Go callers fill with memory from `C.CString`, '
                                   '`C.CBytes`,\n'
                                   '`C.malloc` or `C.calloc` — itself, or by passing the parameter '
                                   'to a function\n'
                                   'of the crate that does (`drop_boxed(p)` with\n'
                                   '`fn drop_boxed<T>(p: *mut T) { drop(Box::from_raw(p)) }`; the '
                                   'finding is at\n'
                                   "the helper's `from_raw` when the helper is in the export's "
                                   'file, else at the\n'
                                   "export's call of it, with the `from_raw` related).\n"
                                   '\n'
                                   '## Why is this bad?\n'
                                   "Rust's allocator and C's `malloc` are different heaps. "
                                   '`C.free` on a Rust\n'
                                   'pointer, or dropping a `malloc`ed block as a `CString` or '
                                   '`Box`, is\n'
                                   'undefined behaviour: with a custom global allocator (jemalloc, '
                                   'mimalloc) it\n'
                                   'corrupts the heap; even with the system allocator a `Box<T>` '
                                   'or `Vec<T>` is\n'
                                   'freed with the wrong layout, and `CString::from_raw` '
                                   'recomputes the length\n'
                                   'of a string C never promised to NUL-terminate where Rust '
                                   'expects.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func Version() string {\n'
                                   '        p := C.engine_version() // CString::into_raw on the '
                                   'Rust side\n'
                                   '        defer C.free(unsafe.Pointer(p))\n'
                                   '        return C.GoString(p)\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func Version() string {\n'
                                   '        p := C.engine_version()\n'
                                   '        defer C.engine_string_free(p) // CString::from_raw, in '
                                   'the crate\n'
                                   '        return C.GoString(p)\n'
                                   '}\n'
                                   '```\n'
                                   'and, in Rust, copy what C lends instead of adopting it\n'
                                   '(`CStr::from_ptr(p).to_owned()`), leaving `C.free` to Go.\n'
                                   '\n'
                                   '## Known problems\n'
                                   'On the Go side, pointers an export writes through an '
                                   'out-parameter are\n'
                                   'followed when Go passes the address of a local variable '
                                   '(`C.f(&out)`), not\n'
                                   'of a field (`C.f(&r.out)`), and only when the export makes the '
                                   'memory\n'
                                   'itself. On the Rust side only Go calls that pass the\n'
                                   'allocation directly or through a local variable of the calling '
                                   'function are\n'
                                   'seen; helpers are followed one call deep, and not into '
                                   'methods\n'
                                   '(`self.adopt(p)`).',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL105.md',
                  'id': 'XL105',
                  'level': 'error',
                  'name': 'ownership-allocator-mismatch',
                  'precision': 'high',
                  'security_severity': 8.1,
                  'summary': "Checks for memory freed by the other side's allocator: a pointer "
                             "from Rust's allocator that Go passes to `C.free`, or memory from C's "
                             'allocator that a Rust export takes over with `from_raw`.',
                  'tags': ['security', 'external/cwe/cwe-762', 'external/cwe/cwe-590']},
  'file_kinds': ['go', 'rust'],
  'id': 'XL105',
  'module': 'interop_lint.rules.cross.xl105_ownership_allocator_mismatch',
  'qualname': 'OwnershipAllocatorMismatch'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   'Checks for Go calls of Rust exports that return memory from '
                                   "Rust's\n"
                                   'allocator whose result the calling function neither gives back '
                                   'to the\n'
                                   "crate's matching release export nor lets escape. Memory an "
                                   'export writes\n'
                                   'through an out-parameter into a local variable (`var s '
                                   '*C.char;\n'
                                   'C.f(&s)`) is its result too, from the call on: a `defer` above '
                                   'the call that\n'
                                   'releases `s` reads it before the call fills it, and releases '
                                   'nothing.\n'
                                   '\n'
                                   'The memory is what RS105 follows (`CString::into_raw`, '
                                   '`Box::into_raw`,\n'
                                   '`Box::leak`, a forgotten `Vec`, made by the export or by a '
                                   'helper it returns\n'
                                   'from). A matching release export gives that kind back to Rust\n'
                                   '(`CString::from_raw`, `Box::from_raw` of that type, '
                                   '`Vec::from_raw_parts`);\n'
                                   'the result may reach it directly, deferred, in a deferred '
                                   'closure or through\n'
                                   'a package function that passes it on. It escapes when it is '
                                   'returned, stored\n'
                                   'in a field, an element or a global, sent, or passed to a '
                                   'configured\n'
                                   '`ownership-taking` function. A field of a struct of the '
                                   "function's own is\n"
                                   'no escape when that struct is only read for its fields (`line '
                                   ':=\n'
                                   'titled{title: C.doc_title(d)}`, never returned, stored, passed '
                                   'on or given a\n'
                                   'method call): the result escapes only if a read of that field '
                                   'lets it.\n'
                                   '`C.GoString(p)` copies the string; it does not release `p`. A '
                                   'result freed\n'
                                   "with `C.free` is XL105's finding, not this one.\n"
                                   '\n'
                                   'A `#[repr(C)]` struct returned by value (`VerifyResult { '
                                   'status, error_msg\n'
                                   '}`) holds the memory in its pointer fields: the reads of those '
                                   'fields are\n'
                                   'followed (`errors.New(C.GoString(r.error_msg))` releases '
                                   'nothing), a read of\n'
                                   'another field (`r.status`) is no use of the memory, and a '
                                   'package function\n'
                                   'handed the whole struct releases it when it releases the '
                                   'field.\n'
                                   '\n'
                                   "The memory counts as the result only when the export's "
                                   'declared return\n'
                                   'type can be it: a `CString` for a `*mut c_char` / `*const '
                                   'c_char`, a\n'
                                   '`Box<T>` for a `*mut T`, a `Vec<T>` for a pointer to `T`, any '
                                   'of them for a\n'
                                   '`*mut c_void`, or a pointer field of a `#[repr(C)]` struct '
                                   'returned by\n'
                                   'value. A string made inside a box the export returns (`*mut\n'
                                   "CResult<c_char>` built by a crate macro) is the box's content, "
                                   'not the\n'
                                   'result: when the types disagree, or the type says nothing '
                                   'certain (an\n'
                                   'integer), the rule stays silent.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   "The Go garbage collector does not see memory from Rust's "
                                   'allocator. Every\n'
                                   'call leaks the string, box or buffer: a service that asks Rust '
                                   'for a\n'
                                   'description per request grows until it is killed. `C.GoString` '
                                   'makes the\n'
                                   'leak easy to miss: the Go string looks like the result, but '
                                   'the Rust string\n'
                                   'it was copied from stays allocated.\n'
                                   '\n'
                                   '## Example\n'
                                   '```go\n'
                                   'func Describe(e *C.engine_t) string {\n'
                                   '        return C.GoString(C.engine_describe(e))\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```go\n'
                                   'func Describe(e *C.engine_t) string {\n'
                                   '        p := C.engine_describe(e)\n'
                                   '        defer C.engine_string_free(p)\n'
                                   '        return C.GoString(p)\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Known problems\n'
                                   'The release is looked for anywhere in the function, not on '
                                   'every path, and\n'
                                   'a release export counts whichever of its parameters the result '
                                   'is passed in.\n'
                                   "When the result goes where the package's code cannot be "
                                   'followed (a function\n'
                                   'of another package, an `any` parameter, a method call, a C '
                                   'function defined\n'
                                   'in C, a field read through a returned pointer), the rule stays '
                                   'silent. An\n'
                                   'export of the crate that keeps the pointer without `from_raw` '
                                   '(to free it\n'
                                   'later) is taken\n'
                                   'as only reading it: list it in `ownership-taking`.',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL106.md',
                  'id': 'XL106',
                  'level': 'warning',
                  'name': 'ownership-not-released',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': "Checks for Go calls of Rust exports that return memory from Rust's "
                             'allocator whose result the calling function neither gives back to '
                             "the crate's matching release export nor lets escape.",
                  'tags': ['external/cwe/cwe-401']},
  'file_kinds': ['go'],
  'id': 'XL106',
  'module': 'interop_lint.rules.cross.xl106_ownership_not_released',
  'qualname': 'OwnershipNotReleased'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   'Checks that every Python `ctypes` binding of a Rust export '
                                   'agrees with the\n'
                                   'Rust function: `argtypes` lists one type per parameter (lists '
                                   'joined and\n'
                                   'repeated by a literal count are read too: `[c_char_p] * 7 + '
                                   '[c_int]`), each\n'
                                   "equivalent to the Rust parameter's type; `restype` is "
                                   'equivalent to the return type\n'
                                   '(`None` for a function that returns nothing, though a scalar '
                                   'there, such\n'
                                   'as `c_void_p` taken for `void`, is a register nobody reads and '
                                   'is left\n'
                                   'alone, as is the result of a callback Rust never reads); and a '
                                   'function\n'
                                   'that returns a pointer or a 64-bit value has a `restype` at '
                                   'all. Types are equivalent by\n'
                                   'the ABI: `c_int` is `i32`, `c_int64` and `c_longlong` are '
                                   '`i64`,\n'
                                   '`c_size_t` is `usize`, `c_bool` is `bool`, `c_char_p` is '
                                   '`*const c_char`\n'
                                   'or `*mut c_char`, `c_void_p` is any pointer, `POINTER(T)` is a '
                                   'pointer to\n'
                                   '`T`, and a `Structure` is the `#[repr(C)]` struct in its '
                                   'place, field by\n'
                                   'field through `_fields_` (a field that spells out alignment '
                                   'padding, such as\n'
                                   '`("_padding", c_uint32)` before a pointer, is no field of its '
                                   'own). It also\n'
                                   'reports `restype = c_char_p` for an export that returns a '
                                   'string the caller\n'
                                   'must free: ctypes copies the result into `bytes` and the '
                                   'pointer is lost.\n'
                                   '\n'
                                   'The library a handle loads is matched to a crate by its file '
                                   'name\n'
                                   '(`CDLL("./libengine.so")` loads the crate whose library is '
                                   '`engine`), else\n'
                                   'by the crate that exports every function bound on it. A '
                                   "crate's library\n"
                                   'carries the exports of the crates it depends on by path (a '
                                   'cdylib that\n'
                                   're-exports an FFI crate with `pub use`). Functions the crate '
                                   'does not\n'
                                   'export (libc, another C library) are not checked. A handle '
                                   'imported from\n'
                                   "another module is that module's (a star import too, which also "
                                   'passes on\n'
                                   'the `ctypes` module and its types: `from engine._lib import '
                                   '*`); a helper that binds by name\n'
                                   '(`_fn("engine_new", c_void_p, c_uint32)`) is reported at its '
                                   'call, and a\n'
                                   'signature table bound in a loop (`for name, (argtypes, '
                                   'restype) in\n'
                                   "SIGNATURES.items()`) at each row's name, and a loop that sets "
                                   'the same\n'
                                   'signature on a literal list of functions (`for f in '
                                   '[lib.add_name,\n'
                                   'lib.add_author]: f.restype = EmptyReturn`) at each function.\n'
                                   'A missing `restype` is reported once, at the first use of the '
                                   'function in\n'
                                   'the module that loads the library (else the first module that '
                                   'uses it),\n'
                                   'and not when some module sets it, or sets `restype` under '
                                   'computed names.\n'
                                   '\n'
                                   'One finding per assignment names all its differences (three, '
                                   'then how\n'
                                   'many more). A `Structure` whose `_fields_` drift is one '
                                   'mistake however\n'
                                   'many bindings pass or return it: it is reported once per '
                                   'module, at the\n'
                                   'first `argtypes`/`restype` assignment that uses it, with its '
                                   '`_fields_` and\n'
                                   'the other assignments as related locations.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   'ctypes calls exactly what it is told to. A function without '
                                   '`restype` is\n'
                                   'assumed to return a C `int`: on a 64-bit platform a returned '
                                   'pointer is cut\n'
                                   'to its low 32 bits, and the next call through it crashes, or '
                                   'works until\n'
                                   'the allocator hands out an address above 4 GiB. An `argtypes` '
                                   'entry of\n'
                                   '`c_int` for a `u64` passes half the value; a missing entry '
                                   'leaves Rust\n'
                                   'reading whatever is in the register; a `Structure` whose '
                                   '`_fields_` drift\n'
                                   'from the Rust struct reads and writes the wrong bytes. No '
                                   'compiler sees\n'
                                   'both sides, and tests pass on small values.\n'
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_new(capacity: u64) -> *mut Engine {\n'
                                   '    // ...\n'
                                   '}\n'
                                   '```\n'
                                   '```python\n'
                                   'lib = ctypes.CDLL("./libengine.so")\n'
                                   'lib.engine_new.argtypes = [ctypes.c_int]\n'
                                   'engine = lib.engine_new(1024)  # restype not set: the pointer '
                                   'is truncated\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```python\n'
                                   'lib.engine_new.argtypes = [ctypes.c_uint64]\n'
                                   'lib.engine_new.restype = ctypes.c_void_p\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL107.md',
                  'id': 'XL107',
                  'level': 'error',
                  'name': 'ctypes-signature-mismatch',
                  'precision': 'high',
                  'security_severity': 8.1,
                  'summary': 'Checks that every Python `ctypes` binding of a Rust export agrees '
                             'with the Rust function: `argtypes` lists one type per parameter '
                             '(lists joined and repeated by a literal count are read too: '
                             "`[c_char_p] * 7 + [c_int]`), each equivalent to the Rust parameter's "
                             'type; `restype` is equivalent to the return type (`None` for a '
                             'function that returns nothing, though a scalar there, such as '
                             '`c_void_p` taken for `void`, is a register nobody reads and is left '
                             'alone, as is the result of a callback Rust never reads); and a '
                             'function that returns a pointer or a 64-bit value has a `restype` at '
                             'all.',
                  'tags': ['security', 'external/cwe/cwe-686', 'external/cwe/cwe-197']},
  'file_kinds': ['python'],
  'id': 'XL107',
  'module': 'interop_lint.rules.cross.xl107_ctypes_signature_mismatch',
  'qualname': 'CtypesSignatureMismatch'},
 {'cross_language': True,
  'description': {'documentation': '## What it does\n'
                                   'Checks for Rust functions exported under a symbol '
                                   '(`#[no_mangle]`,\n'
                                   '`#[export_name = ".."]`, their `unsafe(..)` spellings) without '
                                   '`extern "C"`\n'
                                   '— they keep the Rust ABI — that a header or cgo preamble of '
                                   'the repository\n'
                                   'declares, so that C or Go calls them. The declaration binds to '
                                   'the nearest\n'
                                   'crate that defines the symbol, within the crate the header or '
                                   'preamble\n'
                                   'binds; a symbol that C defines or another crate exports with '
                                   'the C ABI is\n'
                                   'left to XL102 and XL104.\n'
                                   '\n'
                                   '## Why is this bad?\n'
                                   "`#[no_mangle]` fixes the symbol's name, not its calling "
                                   'convention. The\n'
                                   'Rust ABI is unspecified and may change with any compiler '
                                   'release: where\n'
                                   'arguments and return values go (registers or memory, how '
                                   'structs, `i128`,\n'
                                   '`bool` and `Option<&T>` are passed, whether a return value '
                                   'comes back\n'
                                   "through a hidden pointer) is rustc's choice. The program links "
                                   'and the\n'
                                   'call from C often happens to work for a few integers, then '
                                   'breaks with a\n'
                                   'new compiler, another target or another signature. It is '
                                   'undefined\n'
                                   'behaviour either way, and a panic in it unwinds straight into '
                                   'C.\n'
                                   'Projects have fixed exactly this (LibAFL "Make all no_mangle '
                                   'fns extern C",\n'
                                   "tectonic's bridge functions called from C without `extern`).\n"
                                   '\n'
                                   '## Example\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub fn engine_score(weight: i32, bias: i32) -> i32 {  // '
                                   'declared in engine.h\n'
                                   '    weight * 2 + bias\n'
                                   '}\n'
                                   '```\n'
                                   '\n'
                                   '## Use instead\n'
                                   '```rust\n'
                                   '#[no_mangle]\n'
                                   'pub extern "C" fn engine_score(weight: i32, bias: i32) -> i32 '
                                   '{\n'
                                   '    weight * 2 + bias\n'
                                   '}\n'
                                   '```',
                  'help_uri': 'https://github.com/interop-lint/interop-lint/blob/main/docs/rules/XL108.md',
                  'id': 'XL108',
                  'level': 'error',
                  'name': 'abi-rust-abi-function',
                  'precision': 'high',
                  'security_severity': None,
                  'summary': 'Checks for Rust functions exported under a symbol (`#[no_mangle]`, '
                             '`#[export_name = ".."]`, their `unsafe(..)` spellings) without '
                             '`extern "C"` — they keep the Rust ABI — that a header or cgo '
                             'preamble of the repository declares, so that C or Go calls them.',
                  'tags': []},
  'file_kinds': ['rust'],
  'id': 'XL108',
  'module': 'interop_lint.rules.cross.xl108_abi_rust_abi_function',
  'qualname': 'AbiRustAbiFunction'}]
