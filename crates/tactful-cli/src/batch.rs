//! `tactful batch`: assess a JSON Lines file, one row out per line in, in the input's order.
//!
//! Safety of the user's files comes first: the input is opened (and read from) before the
//! output exists, the same file on both sides is refused, and `-o FILE` is written to a
//! temporary file beside it that is renamed into place only when the whole batch succeeded.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
#[cfg(unix)]
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tactful::{Assessment, Context, Engine};

/// What `tactful batch --help` shows below the options.
pub const AFTER_HELP: &str = "\
Input: one JSON object a line, {\"id\": ..., \"text\": \"...\", \"context\": {...}}; `id` and
`context` are optional. A UTF-8 byte-order mark at the start is skipped; blank lines are skipped.

Output: one row a line, in the input's order:
  {\"id\": ..., \"assessment\": {...}}
  {\"id\": ..., \"line\": N, \"error\": \"line N: ...\"}   (bad JSON, not an object, invalid UTF-8,
                                                     no text, empty text, bad context, too long)
The id comes back byte for byte as given (a number too large for 64 bits stays as written).
A line longer than the engine's input limit plus 64 KiB is an error row; the rest of it is
skipped without being held in memory. One bad line never fails the batch.

Files: the input is opened before the output; the same file as input and output is refused.
With -o FILE the rows go to a temporary file in FILE's directory, renamed to FILE only when
the batch completes, so a failed or interrupted run leaves an existing FILE untouched (a
symlink stays a symlink and the replaced file keeps its permissions). A FILE that is a
device or a pipe (/dev/null, a FIFO) is written in place.

Resuming after a kill: rows are written in the input's order, one row for each non-blank
input line, each ending with a newline, so everything up to the last newline is complete.
On stdout (or a file you redirect to yourself), keep the complete rows and assess the rest:
  n=$(wc -l < out.jsonl); head -n \"$n\" out.jsonl > done.jsonl
  grep -av '^[[:space:]]*$' in.jsonl | tail -n +$((n + 1)) | tactful batch -i - >> done.jsonl
(`line` in the new error rows then counts from the resumed part.) With -o FILE a killed run
leaves FILE as it was and the partial rows in .FILE.tactful-PID-N.tmp beside it; the same
recipe works on that file.

Exit status: 0 when every line got a row (even error rows); 2 when the input cannot be read,
the output cannot be written (a closed stdout or pipe included), or the arguments are wrong.";

/// Options of `tactful batch` (the global `--playbook FILE` and `--model FILE` apply).
#[derive(clap::Args, Debug)]
pub struct BatchArgs {
    /// Input JSONL file, `-` for stdin.
    #[arg(long, short)]
    pub input: String,
    /// Output JSONL file, `-` for stdout (streamed). A file is written through a temporary
    /// file renamed into place on success.
    #[arg(long, short, default_value = "-")]
    pub output: String,
    /// At most this many lines are assessed together in parallel before writing.
    #[arg(long, default_value_t = 4096)]
    pub chunk: usize,
    /// At most this many input bytes are held in one chunk (a chunk always holds at least
    /// one line).
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    pub chunk_bytes: usize,
    /// Show progress on stderr even when it is not a terminal (one line per update).
    #[arg(long)]
    pub progress: bool,
}

/// Room for the id, the context and the JSON syntax around a text of the engine's limit.
pub const LINE_SLACK: usize = 64 << 10;

/// Bytes reserved for one output row before serializing (most rows need 1.5-3 KB).
const ROW_CAPACITY: usize = 3 << 10;

/// The UTF-8 byte-order mark, skipped at the start of the input.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// How much of the input [`assess_stream`] holds at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// At most this many lines are assessed together (in parallel) before their rows are
    /// written; 0 counts as 1.
    pub chunk: usize,
    /// At most this many input bytes are held in one chunk (a chunk always holds at least one
    /// line); 0 counts as 1.
    pub chunk_bytes: usize,
    /// A line may be this many bytes longer than the engine's input limit (room for the id,
    /// the context and the JSON syntax); a longer line is an error row, and the rest of it is
    /// read and dropped, never held.
    pub line_slack: usize,
}

impl Default for Limits {
    /// The CLI's defaults: 4,096 lines, 64 MiB, [`LINE_SLACK`].
    fn default() -> Self {
        Limits {
            chunk: 4096,
            chunk_bytes: 64 << 20,
            line_slack: LINE_SLACK,
        }
    }
}

/// What [`assess_stream`] did.
#[derive(Debug)]
pub struct Summary {
    /// Rows written: one for each non-blank input line read.
    pub rows: u64,
    /// Of those, error rows.
    pub errors: u64,
    /// Input bytes read.
    pub read: u64,
    /// The input failed after some rows were written: the line number it stopped at and the
    /// error. The rows before it are written and complete.
    pub stopped: Option<(usize, io::Error)>,
}

/// Why [`assess_stream`] could not finish.
#[derive(Debug)]
pub enum StreamError {
    /// The input could not be read before any row was produced.
    Read(io::Error),
    /// A row could not be written: the output is incomplete.
    Write(io::Error),
}

#[derive(Deserialize)]
struct BatchLine<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default)]
    text: Option<serde_json::Value>,
    #[serde(default)]
    context: Option<serde_json::Value>,
}

/// Only the id, when the whole line cannot be read (so an error row can still name it).
#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
}

#[derive(Serialize)]
struct OkRow<'a> {
    id: Option<&'a RawValue>,
    assessment: &'a Assessment,
}

#[derive(Serialize)]
struct ErrRow<'a> {
    id: Option<&'a RawValue>,
    line: usize,
    error: String,
}

/// One input line, read as bytes so that a line of invalid UTF-8 fails alone.
struct Item {
    line: usize,
    /// The line without its line ending, or `None` when it was longer than the cap.
    bytes: Option<Vec<u8>>,
    /// The line's length in bytes (all of it, for an over-long line).
    len: usize,
}

fn err_row(id: Option<&RawValue>, line: usize, msg: impl std::fmt::Display) -> String {
    let row = ErrRow {
        id,
        line,
        error: format!("line {line}: {msg}"),
    };
    serde_json::to_string(&row).unwrap_or_else(|_| format!("{{\"id\":null,\"line\":{line}}}"))
}

/// A serde_json message without its " at line 1 column N" suffix (always line 1 here: the
/// file's line number is what matters), with the column put in front.
fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full);
    if e.column() > 0 {
        format!("invalid JSON at column {}: {msg}", e.column())
    } else {
        format!("invalid JSON: {msg}")
    }
}

/// A context error without the parser's position: it would point into the context as
/// re-serialized here, not into the user's line.
fn context_error(e: &tactful::Error) -> String {
    match e {
        tactful::Error::InvalidContext { field, message } => {
            format!("invalid context: {field}: {}", strip_position(message))
        }
        other => other.to_string(),
    }
}

/// `"… at line 1 column 9"` without its last `" at line N column M"`.
fn strip_position(msg: &str) -> &str {
    let Some(i) = msg.rfind(" at line ") else {
        return msg;
    };
    let tail = &msg[i + " at line ".len()..];
    let ok = tail.split_once(" column ").is_some_and(|(l, c)| {
        !l.is_empty()
            && !c.is_empty()
            && l.bytes().all(|b| b.is_ascii_digit())
            && c.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        &msg[..i]
    } else {
        msg
    }
}

/// `65536` as `64 KiB`, other sizes in bytes.
fn size(n: usize) -> String {
    if n > 0 && n % 1024 == 0 {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

fn process(engine: &Engine, item: &Item, cap: usize, slack: usize) -> Result<String, String> {
    let Some(bytes) = &item.bytes else {
        return Err(err_row(
            None,
            item.line,
            format!(
                "the line is {} bytes, longer than the limit of {cap} bytes (the engine's input limit plus {}); skipped",
                item.len,
                size(slack)
            ),
        ));
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Err(err_row(None, item.line, format!("invalid UTF-8: {e}"))),
    };
    if !text.trim_start().starts_with('{') {
        return Err(err_row(
            None,
            item.line,
            "a line must be a JSON object {\"id\": ..., \"text\": ..., \"context\": ...}",
        ));
    }
    let parsed: BatchLine<'_> = match serde_json::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            let id = serde_json::from_str::<IdOnly<'_>>(text)
                .ok()
                .and_then(|i| i.id);
            return Err(err_row(id, item.line, json_error(&e)));
        }
    };
    let id = parsed.id;
    let msg = match &parsed.text {
        Some(serde_json::Value::String(s)) => s.as_str(),
        None => return Err(err_row(id, item.line, "missing field `text`")),
        Some(_) => return Err(err_row(id, item.line, "`text` must be a string")),
    };
    let ctx = match parsed.context {
        None | Some(serde_json::Value::Null) => Context::default(),
        Some(v) => match Context::from_json(&v.to_string()) {
            Ok(c) => c,
            Err(e) => return Err(err_row(id, item.line, context_error(&e))),
        },
    };
    match engine.assess(msg, &ctx) {
        Ok(a) => {
            // A row is about 2 KB plus its evidence: one allocation up front instead of a
            // dozen regrowths while serializing.
            let mut out = Vec::with_capacity(ROW_CAPACITY + msg.len());
            serde_json::to_writer(&mut out, &OkRow { id, assessment: &a })
                .map_err(|e| err_row(id, item.line, e))?;
            String::from_utf8(out).map_err(|e| err_row(id, item.line, e))
        }
        Err(e) => Err(err_row(id, item.line, e)),
    }
}

/// Reads one line (up to and without `\n`, and a `\r` before it) into `buf`, holding at most
/// `cap` bytes: the rest of a longer line is read and dropped. Returns the bytes consumed
/// (0 at the end of the input) and whether the line was longer than `cap`.
fn read_line_capped(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<(usize, bool)> {
    let (mut consumed, mut over) = (0usize, false);
    loop {
        let (used, done) = {
            let avail = match r.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                break;
            }
            let (part, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (&avail[..=i], true),
                None => (avail, false),
            };
            if !over {
                if buf.len() + part.len() > cap + 2 {
                    over = true;
                    buf.clear();
                    buf.shrink_to(0);
                } else {
                    buf.extend_from_slice(part);
                }
            }
            (part.len(), done)
        };
        r.consume(used);
        consumed += used;
        if done {
            break;
        }
    }
    if !over {
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        if buf.len() > cap {
            over = true;
            buf.clear();
        }
    }
    Ok((consumed, over))
}

/// Where the rows go: a stream (stdout — a duplicate of fd 1, so a closed stdout is an error
/// rather than silently swallowed — or an existing device or pipe such as /dev/null) or a
/// temporary file renamed over the target, a regular file, on success.
enum Sink {
    Stream(BufWriter<Box<dyn Write>>),
    Replace {
        w: BufWriter<File>,
        tmp: PathBuf,
        target: PathBuf,
    },
}

impl Sink {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stream(w) => w,
            Sink::Replace { w, .. } => w,
        }
    }
}

/// Removes the temporary file unless the batch committed it.
struct TmpGuard(Option<PathBuf>);

impl Drop for TmpGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// A file handle on standard input or output (a duplicate: fails when the descriptor is closed).
#[cfg(unix)]
fn std_handle(fd: std::os::fd::BorrowedFd<'_>) -> io::Result<File> {
    Ok(File::from(fd.try_clone_to_owned()?))
}

/// What [`record_stdout_at_start`] saw: not recorded, open, closed.
#[cfg(unix)]
static STDOUT_AT_START: AtomicU8 = AtomicU8::new(NOT_RECORDED);
#[cfg(unix)]
const NOT_RECORDED: u8 = 0;
#[cfg(unix)]
const OPEN: u8 = 1;
#[cfg(unix)]
const CLOSED: u8 = 2;

/// Records whether standard output (fd 1) is open, for `tactful batch` to refuse a closed
/// stdout. Only meaningful before Rust's runtime start-up, which reopens a closed fd 0–2 on
/// /dev/null: the `tactful` binary calls it from an ELF constructor (`.init_array`), which
/// runs before that. Without the record, a closed stdout is guessed from its trace (/dev/null
/// open for reading and writing), which also refuses a /dev/null passed that way on purpose.
#[cfg(unix)]
pub fn record_stdout_at_start() {
    // SAFETY: F_GETFD on fd 1 only reads the descriptor's flags; it has no memory effects.
    let open = unsafe { libc::fcntl(1, libc::F_GETFD) } != -1;
    STDOUT_AT_START.store(if open { OPEN } else { CLOSED }, Ordering::Relaxed);
}

/// Whether stdout was closed when the process started: as recorded by
/// [`record_stdout_at_start`], or else guessed. Rust's runtime reopens a closed descriptor 0–2
/// on /dev/null read-write before `main`, where a shell's `>/dev/null` opens it write-only:
/// /dev/null open for reading and writing on fd 1 is the trace of a closed stdout (or of a
/// parent that opened /dev/null that way, such as Python's `subprocess.DEVNULL`).
#[cfg(unix)]
fn closed_stdout(f: &File) -> bool {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    match STDOUT_AT_START.load(Ordering::Relaxed) {
        OPEN => return false,
        CLOSED => return true,
        _ => {}
    }
    let (Ok(out), Ok(null)) = (f.metadata(), std::fs::metadata("/dev/null")) else {
        return false;
    };
    if out.rdev() != null.rdev() || out.is_file() || out.is_dir() {
        return false;
    }
    // SAFETY: F_GETFL on a descriptor we own (the duplicate of fd 1) has no memory effects.
    let flags = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_GETFL) };
    flags >= 0 && flags & libc::O_ACCMODE == libc::O_RDWR
}

fn open_input(b: &BatchArgs) -> Result<(Box<dyn BufRead>, Option<std::fs::Metadata>), String> {
    if b.input == "-" {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let stdin = io::stdin();
            let f = std_handle(stdin.as_fd()).map_err(|e| format!("cannot read stdin: {e}"))?;
            let meta = f.metadata().ok();
            if meta.as_ref().is_some_and(|m| m.is_dir()) {
                return Err("cannot read stdin: it is a directory".into());
            }
            Ok((Box::new(BufReader::with_capacity(1 << 20, f)), meta))
        }
        #[cfg(not(unix))]
        {
            Ok((Box::new(BufReader::new(io::stdin())), None))
        }
    } else {
        let f = File::open(&b.input).map_err(|e| format!("cannot read {}: {e}", b.input))?;
        let meta = f
            .metadata()
            .map_err(|e| format!("cannot read {}: {e}", b.input))?;
        if meta.is_dir() {
            return Err(format!("cannot read {}: it is a directory", b.input));
        }
        Ok((Box::new(BufReader::with_capacity(1 << 20, f)), Some(meta)))
    }
}

fn open_output(b: &BatchArgs, input: Option<&std::fs::Metadata>) -> Result<Sink, String> {
    let same = |m: &std::fs::Metadata| input.is_some_and(|i| same_file(i, m));
    if b.output == "-" {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let stdout = io::stdout();
            let f = std_handle(stdout.as_fd())
                .map_err(|e| format!("cannot write stdout (is it closed?): {e}"))?;
            if closed_stdout(&f) {
                return Err("stdout is closed (the command was started with `>&-`): \
                     every row would be lost; give -o FILE or redirect stdout"
                    .into());
            }
            if f.metadata().is_ok_and(|m| m.is_file() && same(&m)) {
                return Err(format!(
                    "refusing to run: stdout is the input file {}",
                    b.input
                ));
            }
            Ok(Sink::Stream(BufWriter::with_capacity(1 << 20, Box::new(f))))
        }
        #[cfg(not(unix))]
        {
            Ok(Sink::Stream(BufWriter::with_capacity(
                1 << 20,
                Box::new(io::stdout()),
            )))
        }
    } else {
        let mut target = PathBuf::from(&b.output);
        let cannot = |e: io::Error| format!("cannot write {}: {e}", b.output);
        // Follows symlinks: the file that would be written.
        let existing = match std::fs::metadata(&target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(cannot(e)),
        };
        if let Some(m) = &existing {
            if same(m) {
                return Err(format!(
                    "refusing to run: the output {} is the input file (it would be overwritten)",
                    b.output
                ));
            }
            if m.is_dir() {
                return Err(format!("cannot write {}: it is a directory", b.output));
            }
            if !m.is_file() {
                // A device or a pipe (/dev/null, a FIFO): written in place, never replaced.
                let f = File::options().write(true).open(&target).map_err(cannot)?;
                return Ok(Sink::Stream(BufWriter::with_capacity(1 << 20, Box::new(f))));
            }
            // A symlink stays a symlink: the file it points to is the one replaced.
            target = std::fs::canonicalize(&target).map_err(cannot)?;
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let mut last = None;
        for attempt in 0..100u32 {
            let tmp = dir.join(format!(
                ".{name}.tactful-{}-{attempt}.tmp",
                std::process::id()
            ));
            match File::options().write(true).create_new(true).open(&tmp) {
                Ok(f) => {
                    if let Some(m) = &existing {
                        // Keep the replaced file's permissions.
                        if let Err(e) = f.set_permissions(m.permissions()) {
                            let _ = std::fs::remove_file(&tmp);
                            return Err(cannot(e));
                        }
                    }
                    return Ok(Sink::Replace {
                        w: BufWriter::with_capacity(1 << 20, f),
                        tmp,
                        target,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => {
                    return Err(format!(
                        "cannot write {} (temporary file in {}): {e}",
                        b.output,
                        dir.display()
                    ))
                }
            }
        }
        Err(format!(
            "cannot write {}: no free temporary name ({})",
            b.output,
            last.map(|e| e.to_string()).unwrap_or_default()
        ))
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn duration(secs: u64) -> String {
    match secs {
        s if s >= 3600 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        s if s >= 60 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}

/// The progress line on stderr: rows, rows/s, and with a known input size the percentage
/// and the time left.
struct Progress {
    start: Instant,
    last: Instant,
    total: Option<u64>,
    terminal: bool,
}

impl Progress {
    fn line(&self, rows: u64, read: u64) -> String {
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            (rows as f64 / secs) as u64
        } else {
            0
        };
        let mut s = format!("{} rows, {} rows/s", thousands(rows), thousands(rate));
        if let Some(total) = self.total.filter(|&t| t > 0) {
            let done = read.min(total);
            s += &format!(", {}%", done * 100 / total);
            if done > 0 && secs > 0.0 {
                let left = (total - done) as f64 * secs / done as f64;
                s += &format!(", ETA {}", duration(left.round() as u64));
            }
        }
        s
    }

    fn update(&mut self, rows: u64, read: u64, last: bool) {
        let now = Instant::now();
        let every = if self.terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(2)
        };
        if !last && now.duration_since(self.last) < every {
            return;
        }
        self.last = now;
        let line = self.line(rows, read);
        let mut err = io::stderr().lock();
        // The summary line follows the last update: on a terminal the progress line is cleared.
        let _ = match (self.terminal, last) {
            (true, false) => write!(err, "\r\x1b[Ktactful batch: {line}"),
            (true, true) => write!(err, "\r\x1b[K"),
            (false, _) => writeln!(err, "tactful batch: {line}"),
        };
    }
}

/// Reads the UTF-8 byte-order mark at the start of `r` when there is one, byte by byte, so a
/// mark split across reads (a pipe) is still found. Returns whether it was there, and the
/// bytes read that turned out not to be one: they must be read before the rest of `r`.
pub fn read_bom(r: &mut impl BufRead) -> io::Result<(bool, Vec<u8>)> {
    let mut got = Vec::with_capacity(BOM.len());
    while got.len() < BOM.len() {
        let next = loop {
            match r.fill_buf() {
                Ok(a) => break a.first().copied(),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        match next {
            Some(b) if b == BOM[got.len()] => {
                got.push(b);
                r.consume(1);
            }
            _ => return Ok((false, got)),
        }
    }
    Ok((true, Vec::new()))
}

/// Assesses JSON Lines from `input` (after its byte-order mark, see [`read_bom`]) and writes
/// one row a line to `out`, in the input's order: `{"id": …, "assessment": {…}}`, or
/// `{"id": …, "line": N, "error": "line N: …"}` for a line that cannot be assessed. Blank
/// lines are skipped (they still count in `N`). The id comes back byte for byte as given.
///
/// At most [`Limits::chunk`] lines and [`Limits::chunk_bytes`] bytes are held at once; a
/// line longer than the engine's input limit plus [`Limits::line_slack`] is an error row
/// without being held. `progress(rows, bytes read)` is called after each chunk is written.
/// `out` is not flushed.
pub fn assess_stream(
    engine: &Engine,
    input: &mut impl BufRead,
    out: &mut impl Write,
    limits: Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary, StreamError> {
    let cap = engine.max_input_bytes().saturating_add(limits.line_slack);
    let mut sum = Summary {
        rows: 0,
        errors: 0,
        read: 0,
        stopped: None,
    };
    let mut line_no = 0usize;
    let chunk = limits.chunk.max(1);
    let chunk_bytes = limits.chunk_bytes.max(1);
    let mut done = false;
    while !done {
        let mut items: Vec<Item> = Vec::with_capacity(chunk.min(4096));
        let mut held = 0usize;
        while items.len() < chunk && held < chunk_bytes {
            let mut buf = Vec::new();
            match read_line_capped(input, &mut buf, cap) {
                Ok((0, _)) => {
                    done = true;
                    break;
                }
                Ok((n, over)) => {
                    line_no += 1;
                    sum.read += n as u64;
                    if !over && buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    if buf.capacity() > (1 << 20) && buf.capacity() > buf.len() + buf.len() / 8 {
                        buf.shrink_to_fit();
                    }
                    held += buf.len();
                    items.push(Item {
                        line: line_no,
                        len: if over { n } else { buf.len() },
                        bytes: (!over).then_some(buf),
                    });
                }
                Err(e) if sum.rows == 0 && items.is_empty() => {
                    return Err(StreamError::Read(e));
                }
                Err(e) => {
                    sum.stopped = Some((line_no + 1, e));
                    done = true;
                    break;
                }
            }
        }
        let results: Vec<Result<String, String>> = items
            .par_iter()
            .map(|it| process(engine, it, cap, limits.line_slack))
            .collect();
        drop(items);
        for r in results {
            sum.rows += 1;
            let line = r.unwrap_or_else(|l| {
                sum.errors += 1;
                l
            });
            out.write_all(line.as_bytes())
                .and_then(|_| out.write_all(b"\n"))
                .map_err(StreamError::Write)?;
        }
        progress(sum.rows, sum.read);
    }
    Ok(sum)
}

/// Runs `tactful batch`.
pub fn run(engine: &Engine, b: &BatchArgs) -> Result<(), String> {
    let (mut reader, in_meta) = open_input(b)?;
    // Known readable before any output exists: the first read must succeed.
    let (bom, not_bom) =
        read_bom(&mut reader).map_err(|e| format!("cannot read {}: {e}", input_name(b)))?;
    let mut reader = io::Cursor::new(not_bom).chain(reader);
    let mut sink = open_output(b, in_meta.as_ref())?;
    let mut guard = TmpGuard(match &sink {
        Sink::Replace { tmp, .. } => Some(tmp.clone()),
        Sink::Stream(_) => None,
    });
    let total = in_meta.as_ref().filter(|m| m.is_file()).map(|m| m.len());
    let terminal = io::stderr().is_terminal();
    let now = Instant::now();
    let mut progress = (b.progress || terminal).then_some(Progress {
        start: now,
        last: now,
        total,
        terminal,
    });

    let start = Instant::now();
    let skipped = if bom { BOM.len() as u64 } else { 0 };
    let limits = Limits {
        chunk: b.chunk,
        chunk_bytes: b.chunk_bytes,
        line_slack: LINE_SLACK,
    };
    let sum = assess_stream(
        engine,
        &mut reader,
        &mut sink.writer(),
        limits,
        &mut |rows, read| {
            if let Some(p) = &mut progress {
                p.update(rows, skipped + read, false);
            }
        },
    )
    .map_err(|e| match e {
        StreamError::Read(e) => format!("cannot read {}: {e}", input_name(b)),
        StreamError::Write(e) => write_error(b, e),
    })?;
    if let Some((line, e)) = &sum.stopped {
        eprintln!("tactful: input stopped at line {line}: {e}");
    }
    match sink {
        Sink::Stream(mut w) => w.flush().map_err(|e| write_error(b, e))?,
        Sink::Replace { w, tmp, target } => {
            let f = w.into_inner().map_err(|e| write_error(b, e.into_error()))?;
            f.sync_all().map_err(|e| write_error(b, e))?;
            drop(f);
            std::fs::rename(&tmp, &target)
                .map_err(|e| format!("cannot move {} to {}: {e}", tmp.display(), b.output))?;
            guard.0 = None;
        }
    }
    if let Some(p) = &mut progress {
        p.update(sum.rows, skipped + sum.read, true);
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        (sum.rows as f64 / secs) as u64
    } else {
        0
    };
    eprintln!(
        "tactful batch: {} rows, {} errors, {} rows/s",
        thousands(sum.rows),
        thousands(sum.errors),
        thousands(rate)
    );
    Ok(())
}

fn input_name(b: &BatchArgs) -> &str {
    if b.input == "-" {
        "stdin"
    } else {
        &b.input
    }
}

fn write_error(b: &BatchArgs, e: io::Error) -> String {
    if b.output == "-" {
        if e.kind() == io::ErrorKind::BrokenPipe {
            format!("cannot write stdout: the reader closed the pipe ({e}); rows were lost, the batch is incomplete")
        } else {
            format!("cannot write stdout: {e}; the batch is incomplete")
        }
    } else {
        format!(
            "cannot write {}: {e}; the batch is incomplete (an existing regular file is left as it was)",
            b.output
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(11_998), "11,998");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn lines_are_capped_while_read() {
        let data = b"short\r\n0123456789abcdef\nlast";
        // A tiny buffer, so a line spans several fills.
        let mut r = BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), (7, false));
        assert_eq!(buf, b"short");
        buf.clear();
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), (17, true));
        assert!(buf.is_empty() && buf.capacity() <= 8);
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), (4, false));
        assert_eq!(buf, b"last");
        buf.clear();
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), (0, false));
    }

    #[test]
    fn a_byte_order_mark_split_across_reads_is_found() {
        // One byte a read, as a slow pipe may deliver it.
        let data = b"\xEF\xBB\xBF{}";
        let mut r = BufReader::with_capacity(1, &data[..]);
        assert_eq!(read_bom(&mut r).unwrap(), (true, vec![]));
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"{}");
        // Not a mark: the bytes read are handed back, the rest is untouched.
        let mut r = BufReader::with_capacity(1, &b"\xEF\xBBx"[..]);
        assert_eq!(read_bom(&mut r).unwrap(), (false, b"\xEF\xBB".to_vec()));
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"x");
        let mut r = BufReader::new(&b""[..]);
        assert_eq!(read_bom(&mut r).unwrap(), (false, vec![]));
    }

    #[test]
    fn stream_writes_one_row_per_line_in_chunks() {
        let engine = Engine::builder().build().unwrap();
        let input = b"{\"id\": 7, \"text\": \"Where is my parcel?\"}\n\n[1]\n{\"id\": 1e400, \"text\": \"hi\"}";
        let mut out = Vec::new();
        let mut calls = Vec::new();
        let limits = Limits {
            chunk: 2,
            ..Limits::default()
        };
        let sum = assess_stream(&engine, &mut &input[..], &mut out, limits, &mut |r, b| {
            calls.push((r, b))
        })
        .unwrap();
        assert_eq!((sum.rows, sum.errors, sum.read), (3, 1, input.len() as u64));
        assert!(sum.stopped.is_none());
        // Chunks of two non-blank lines (the blank line is read with the first chunk, which
        // ends after `[1]`); progress after each chunk.
        assert_eq!(calls, [(2, 46), (3, input.len() as u64)]);
        let out = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = out.lines().collect();
        assert_eq!(rows.len(), 3);
        assert!(
            rows[0].starts_with("{\"id\":7,\"assessment\":"),
            "{}",
            rows[0]
        );
        assert!(
            rows[1].starts_with(
                "{\"id\":null,\"line\":3,\"error\":\"line 3: a line must be a JSON object"
            ),
            "{}",
            rows[1]
        );
        assert!(
            rows[2].starts_with("{\"id\":1e400,\"assessment\":"),
            "{}",
            rows[2]
        );
    }

    #[test]
    fn positions_are_stripped_only_at_the_end() {
        assert_eq!(
            strip_position("unknown field `x` at line 1 column 9"),
            "unknown field `x`"
        );
        assert_eq!(
            strip_position("at line 2 of the text"),
            "at line 2 of the text"
        );
        assert_eq!(
            strip_position("bad at line 1 column x"),
            "bad at line 1 column x"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(75), "1m15s");
        assert_eq!(duration(3 * 3600 + 5 * 60), "3h05m");
    }
}
