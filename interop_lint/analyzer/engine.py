"""The two passes: index every file of the root, then check each with the rules.

1. Index: discover the files, read each, and extract the facts of every
   file that can matter (analyzer/prefilter.py decides from the bytes; the
   rest get the facts nothing reads without being parsed). Facts come from
   the cache when the file's content is unchanged.
2. Check: every enabled rule gets each file of a kind it reads, with the
   index, and yields violations. The engine turns them into findings:
   suppressions, per-file ignores, fingerprints, the report scope, order.

A run whose project digest (every file's content, the config, the rules,
the code) matches the cache's last run takes its findings from there and
parses nothing (analyzer/cache.py has the invalidation argument).

Changed-files mode (PATHS narrower than the root) checks the named files
with every rule and others only with the cross-language rules that can
relate them to the named ones (analyzer/scope.py). A rule failing on a file
outside the named ones is not reported there (a run over everything does).

With `jobs > 1` and enough work, both passes run over forked processes
(analyzer/workers.py); each file's result does not depend on which process
made it, and the results are merged in path order: the output is the same
whatever `-j`.

A failure is contained to its file: an unreadable file, an extractor or a
rule that raises becomes a notification and the run goes on.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct, field

from interop_lint.analyzer import prefilter, workers
from interop_lint.analyzer.cache import Cache, CheckedFile, RunRecord
from interop_lint.analyzer.cache_keys import facts_key, make_salt, project_digest
from interop_lint.analyzer.codec import decode, encode
from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import DiscoveredFile, FileKind, Stamp, TreeSnapshot, discover
from interop_lint.analyzer.findings import Finding, Notification, NotificationKind
from interop_lint.analyzer.scope import Work, in_scope, is_reported, plan_checks
from interop_lint.rules.catalogue import RuleEntry, rule_class, rule_key

# The analysis (analyzer/one_file.py: the extractors, the index, the rules) and
# tree-sitter are imported only when a file has to be read, indexed or checked:
# a run whose findings the cache holds stats the files and reports.
if TYPE_CHECKING:
    from interop_lint.analyzer.facts import FileFacts
    from interop_lint.analyzer.index import ProjectIndex
    from interop_lint.analyzer.source import SourceFile
    from interop_lint.rules.registry import Rule

# Told how far a pass has got: (phase, files done, files in the pass), phase
# "index" or "check". The engine never prints; the command line decides.
ProgressCallback = Callable[[str, int, int], None]

# Below this much source to analyse, forking saves less than it costs. On 2 cores,
# whole runs: 150 files of boundary code (300 KB) 0.53 s in one process, 0.43 s in
# two; the 1,000-file mixed tree (130 boundary files) 0.36 s, 0.31 s.
PARALLEL_MIN_BYTES = 256 * 1024
PARALLEL_MIN_FILES = 16
# A tree and what the analysis derives from it take about 45 bytes per byte of
# source. The index pass keeps them for the check pass up to this much source
# (about 10% faster there than parsing again) and lets the check parse the
# rest again: peak memory grows with the facts alone (300k lines of boundary
# code: 200 MB with 1 MiB here, 255 MB with 2 MiB; bench/).
TREE_BUDGET = 1024 * 1024
_REANALYSIS_ORDER = {FileKind.GO: 0, FileKind.RUST: 1}


class RunOptions(Struct, frozen=True):
    root: str  # absolute
    config: Config
    rules: Sequence[type[Rule] | RuleEntry]  # the enabled rules (an entry is loaded if run)
    # What is reported: paths relative to the root, files or directories ("" = all).
    scope: tuple[str, ...] = ("",)
    jobs: int = 1
    progress: ProgressCallback | None = None
    cache_dir: str | None = None  # None: no cache
    # Only for tests: analyse every file, as if each could matter.
    prefilter: bool = True


class RunResult(Struct):
    findings: list[Finding] = field(default_factory=list)  # suppressed ones included
    notifications: list[Notification] = field(default_factory=list)
    files_indexed: int = 0
    # How the run went, for the curious (bench/): files parsed, facts and
    # findings from the cache.
    statistics: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> bool:
        """Something could not be analysed: a read error, a rule or internal error."""
        return any(n.kind.is_failure for n in self.notifications)

    @property
    def reported(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]


def run(options: RunOptions) -> RunResult:
    with _collector_relaxed():
        return _Run(options).execute()


@contextlib.contextmanager
def _collector_relaxed() -> Iterator[None]:
    """Analysis allocates objects by the million; a young generation of 5,000
    instead of 700 spares the cycle collector most of its passes for little
    memory (+10%, where 100,000 would cost +65%: rules leave cycles behind).
    The oldest generation is not collected during a run: it holds the facts,
    which live to the end, and walking them took 0.1 s per 1,000 boundary
    files for nothing (peak memory unchanged: 187 MB on 3,600 files)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 5_000), thresholds[1], 1_000_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class _Run:
    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.result = RunResult()
        self.everything = "" in options.scope
        self.rule_keys = sorted(rule_key(r) for r in options.rules)
        self.cross_ids = frozenset(r.id for r in options.rules if r.cross_language)
        self.cache: Cache | None = None
        self.tree: TreeSnapshot | None = None  # what discovery saw, for the next run

    def progress(self, phase: str, done: int, total: int) -> None:
        if self.options.progress is not None and not workers.in_child():
            self.options.progress(phase, done, total)

    # -- the run ------------------------------------------------------------------

    def execute(self) -> RunResult:
        options, result = self.options, self.result
        salt = make_salt(options.config.digest(), options.cache_dir)
        if options.cache_dir is not None:
            self.cache = Cache(options.cache_dir, salt, options.root)
        record = self.cache.load_run(self.rule_keys) if self.cache is not None else None
        config = options.config
        previous = record.tree if record is not None else None
        discovery = discover(options.root, config.exclude, config.max_file_size, previous)
        result.notifications.extend(discovery.notifications)
        self.tree = discovery.snapshot
        if record is not None and self._unchanged_by_stamps(discovery.files, record, salt):
            result.files_indexed = len(discovery.files)
            result.statistics["findings from cache"] = len(record.checked)
            if self.cache is not None and record.tree != self.tree:
                record.tree = self.tree  # walked again: the next run need not
                self.cache.store_run(self.rule_keys, record)
            self._report(record)
            return self._finish()
        sources = self._read(discovery.files)
        result.files_indexed = len(sources)
        project = project_digest(
            salt, self.rule_keys, [(s.path, s.kind.value, s.digest) for s in sources]
        )
        if record is not None and record.project != project:
            record = None
        stamps = _stamps(discovery.files, sources)
        if record is not None and record.complete:
            result.statistics["findings from cache"] = len(record.checked)
            if self.cache is not None and (record.stamps, record.tree) != (stamps, self.tree):
                record.stamps = stamps  # the next run need not read these files
                record.tree = self.tree  # nor walk the tree
                self.cache.store_run(self.rule_keys, record)
            self._report(record)
        else:
            from interop_lint.analyzer import one_file

            try:
                record = self._analyse(sources, record or RunRecord(project), stamps)
            finally:
                for source in sources:  # what no check released (a run ends with none)
                    one_file.release(source)
            self._report(record)
        return self._finish()

    def _finish(self) -> RunResult:
        result = self.result
        if self.cache is not None:
            result.notifications.extend(self.cache.notifications)
        result.findings.sort(key=lambda f: f.sort_key)
        result.notifications = sorted({n for n in result.notifications if self._is_notified(n)})
        return result

    def _unchanged_by_stamps(
        self, files: Sequence[DiscoveredFile], record: RunRecord, salt: bytes
    ) -> bool:
        """Whether the record's findings hold for the tree, told from the files' stamps
        alone: every file is stamped as the record saw it (nothing to read)."""
        if not record.complete or len(files) != len(record.stamps):
            return False
        contents = []
        for found in files:
            known = record.stamps.get(found.path)
            if known is None or found.stamp is None or known[0] != found.stamp:
                return False
            contents.append((found.path, found.kind.value, known[1]))
        return project_digest(salt, self.rule_keys, contents) == record.project

    def _read(self, files: Sequence[DiscoveredFile]) -> list[SourceFile]:
        from interop_lint.analyzer.source import SourceFile  # tree-sitter: not when cached

        sources = []
        for found in files:
            try:
                source = SourceFile.read(self.options.root, found.path, found.kind)
            except OSError as error:
                self.result.notifications.append(
                    Notification(
                        found.path,
                        0,
                        NotificationKind.READ_ERROR,
                        f"cannot read: {error.strerror or error}",
                    )
                )
                continue
            sources.append(source)
        self.result.statistics["files read"] += len(sources)
        return sources

    def _analyse(
        self,
        sources: list[SourceFile],
        record: RunRecord,
        stamps: dict[str, tuple[Stamp, str]],
    ) -> RunRecord:
        """Index the project and check what the cache does not hold; the new record."""
        from interop_lint.analyzer.index import ProjectIndex

        options = self.options
        was_complete = record.complete
        stamps_changed = (record.stamps, record.tree) != (stamps, self.tree)
        record.stamps, record.tree = stamps, self.tree
        candidates = [prefilter.Candidate(s.path, s.kind, s.data) for s in sources]
        if other_targets := prefilter.other_target_files(candidates):
            candidates = [c for c in candidates if c.path not in other_targets]
        if options.prefilter:
            analysed = prefilter.analysed(candidates)
        else:
            analysed = frozenset(c.path for c in candidates)
        if any(s.kind is FileKind.RUST and b"macro_rules" in s.data for s in sources):
            from interop_lint.analyzer.rust.macro_sharing import share_export_macros

            share_export_macros([s for s in sources if s.path in analysed])
        all_facts = self._index(sources, analysed)
        record.index_notifications = tuple(n for f in all_facts for n in f.notifications)
        index = ProjectIndex(options.root, all_facts, options.config)
        rules = tuple(rule_class(r) for r in self.options.rules)
        work = plan_checks(sources, all_facts, analysed, index, rules, self.options.scope)
        reusable, to_check = [], []
        for item in work:
            previous = record.checked.get(item.source.path)
            if previous is not None and {r.id for r in item.rules} <= previous.rules:
                reusable.append(item)
            else:
                to_check.append(item)
        self.result.statistics["findings from cache"] = len(reusable)
        self.result.statistics["files checked"] = len(to_check)
        rule_ids = {item.source.path: frozenset(r.id for r in item.rules) for item in to_check}
        for path, findings, notes in self._check(to_check, index):
            record.checked[path] = CheckedFile(rule_ids[path], findings, notes)
        record.complete = was_complete or self.everything
        if self.cache is not None and (
            to_check or record.complete != was_complete or stamps_changed
        ):
            self.cache.store_run(self.rule_keys, record)
        return record

    # -- the index pass -------------------------------------------------------------

    def _index(self, sources: list[SourceFile], analysed: frozenset[str]) -> list[FileFacts]:
        from interop_lint.analyzer import one_file

        cache, statistics = self.cache, self.result.statistics
        facts: dict[str, FileFacts] = {}
        keys: dict[str, str] = {}
        to_extract: list[SourceFile] = []
        for source in sources:
            if source.path not in analysed:
                facts[source.path] = one_file.skipped_facts(source)
                statistics["files skipped"] += 1
                source.data = b""  # never read again: most of a large tree's bytes
                continue
            if cache is not None:
                key = keys[source.path] = facts_key(
                    cache.salt, source.path, source.kind.value, source.index_digest
                )
                cached = cache.load(key, one_file.FileFacts)
                if cached is not None and cached.path == source.path:
                    facts[source.path] = cached
                    statistics["facts from cache"] += 1
                    continue
            to_extract.append(source)
        statistics["files indexed"] = len(to_extract)
        # The trees kept within TREE_BUDGET go to the files dearest to analyse again:
        # a cgo file's model and views cost several times its parse, a Rust file's less.
        to_extract.sort(key=lambda source: _REANALYSIS_ORDER.get(source.kind, 2))

        held = [0]  # bytes of source whose trees this process keeps for the check pass

        def extract(source: SourceFile) -> tuple[str, FileFacts | None, bytes]:
            """(path, facts, cache entry); a worker sends the entry alone."""
            found = one_file.index_file(source)
            payload = encode(found, compress=True) if cache is not None else b""
            child = workers.in_child()
            if child or held[0] + len(source.data) > TREE_BUDGET:
                one_file.release(source)  # parsed again if the check pass needs it
            else:
                held[0] += len(source.data)
            return source.path, None if child and payload else found, payload

        for path, found, payload in self._map(extract, to_extract, "index"):
            if found is None:
                found = decode(payload, compressed=True)
            facts[path] = found
            if cache is not None:
                cache.store(keys[path], payload)
        if cache is not None:
            cache.flush()
        return [facts[s.path] for s in sources]

    def _map(self, function, items: list, phase: str) -> list:  # type: ignore[no-untyped-def, type-arg]
        """`function` over `items` (SourceFiles or Work), in processes if worth it.

        A file whose tree this process kept from the index pass is checked here."""
        sources = [_source_of(item) for item in items]
        jobs = self.options.jobs
        total = sum(len(source.data) for source in sources)
        processes = 1
        if jobs > 1 and total >= PARALLEL_MIN_BYTES and len(items) >= PARALLEL_MIN_FILES:
            # Half the threshold per process: 64 cores do not make 64 workers for 2 MB.
            processes = min(jobs, max(2, 2 * total // max(1, PARALLEL_MIN_BYTES)))
            self.result.statistics["processes"] = max(
                self.result.statistics["processes"], processes
            )
        here = [processes > 1 and "tree" in vars(source) for source in sources]

        def progress(done: int) -> None:
            self.progress(phase, done, len(items))

        redone = len(workers.redone)
        results = workers.map_items(function, items, processes, here, progress)
        if len(workers.redone) > redone:
            self.result.statistics["redone after a worker failed"] += sum(workers.redone[redone:])
        return results

    # -- the check pass ---------------------------------------------------------------

    def _check(
        self, work: list[Work], index: ProjectIndex
    ) -> list[tuple[str, tuple[Finding, ...], tuple[Notification, ...]]]:
        from interop_lint.analyzer import one_file

        def check(item: Work) -> tuple[str, tuple[Finding, ...], tuple[Notification, ...]]:
            findings, notes = one_file.check_file(item.source, item.facts, index, item.rules)
            one_file.release(item.source)
            return item.source.path, tuple(findings), tuple(notes)

        return self._map(check, work, "check")

    # -- the report -------------------------------------------------------------------

    def _report(self, record: RunRecord) -> None:
        """The findings and notifications of the record that this run reports."""
        scope, result = self.options.scope, self.result
        result.notifications.extend(record.index_notifications)
        for path, checked in record.checked.items():
            inside = self.everything or in_scope(path, scope)
            for finding in checked.findings:
                if is_reported(finding, scope, finding.rule_id in self.cross_ids):
                    result.findings.append(finding)
            # A rule failing on a file outside the scope is not this run's news (and
            # only a run over everything checks every file): in scope only.
            if inside:
                result.notifications.extend(checked.notifications)

    def _is_notified(self, note: Notification) -> bool:
        """Warnings about files outside the scope (a syntax error elsewhere) are noise
        in changed-files mode; failures are kept: they mean the index is incomplete."""
        return note.kind.is_failure or not note.path or in_scope(note.path, self.options.scope)


def _stamps(
    files: Sequence[DiscoveredFile], sources: Sequence[SourceFile]
) -> dict[str, tuple[Stamp, str]]:
    """The stamp and content hash of every file read whose stamp can be trusted."""
    stamped = {f.path: f.stamp for f in files if f.stamp is not None}
    return {s.path: (stamped[s.path], s.digest) for s in sources if s.path in stamped}


def _source_of(item: SourceFile | Work) -> SourceFile:
    return item.source if isinstance(item, Work) else item
