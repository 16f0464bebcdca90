//! `tactful batch` end to end, through the built binary: the user's files are never damaged,
//! every input line gets its row with its id as given, memory stays bounded, errors name the
//! file's line, and a lost output fails loudly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tactful() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tactful"))
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p =
            std::env::temp_dir().join(format!("tactful-batch-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.0)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str]) -> Output {
    tactful().args(args).output().expect("run tactful")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = tactful()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tactful");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    feeder.join().expect("feeder");
    out
}

fn rows(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON row"))
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const GOOD: &str = "{\"id\": 1, \"text\": \"Someone stole my card and took $900!\"}\n";

#[test]
fn same_file_as_input_and_output_is_refused_and_untouched() {
    let d = TempDir::new("same");
    let input = d.path("f.jsonl");
    std::fs::write(&input, GOOD).expect("write");
    let o = run(&["batch", "-i", s(&input), "-o", s(&input)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is the input file"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&input).expect("read"), GOOD);

    // The same file under another name (a symlink) is the same device and inode.
    #[cfg(unix)]
    {
        let link = d.path("link.jsonl");
        std::os::unix::fs::symlink(&input, &link).expect("symlink");
        let o = run(&["batch", "-i", s(&input), "-o", s(&link)]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&input).expect("read"), GOOD);
        // stdin and the output are the same file.
        let o = tactful()
            .args(["batch", "-i", "-", "-o", s(&input)])
            .stdin(std::fs::File::open(&input).expect("open"))
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&input).expect("read"), GOOD);
        // stdout appended to the input file (`>> f`) would read its own rows forever.
        let o = tactful()
            .args(["batch", "-i", s(&input)])
            .stdout(
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(&input)
                    .expect("open"),
            )
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("stdout is the input file"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read_to_string(&input).expect("read"), GOOD);
    }
    assert_eq!(
        d.names(),
        ["f.jsonl", "link.jsonl"][..if cfg!(unix) { 2 } else { 1 }]
    );
}

#[test]
fn unreadable_input_leaves_an_existing_output_untouched() {
    let d = TempDir::new("unreadable");
    let out = d.path("out.jsonl");
    std::fs::write(&out, "precious\n").expect("write");
    std::fs::create_dir(d.path("dir")).expect("mkdir");
    let o = run(&["batch", "-i", s(&d.path("dir")), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "precious\n");

    let o = run(&["batch", "-i", s(&d.path("missing.jsonl")), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "precious\n");
    // A new output is not even created.
    let fresh = d.path("fresh.jsonl");
    let o = run(&["batch", "-i", s(&d.path("missing.jsonl")), "-o", s(&fresh)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(d.names(), ["dir", "out.jsonl"]);
}

#[test]
fn output_file_is_replaced_whole_with_no_temporary_left() {
    let d = TempDir::new("rename");
    let input = d.path("in.jsonl");
    let out = d.path("out.jsonl");
    std::fs::write(&input, format!("{GOOD}{GOOD}")).expect("write");
    std::fs::write(&out, "old\nold\nold\n").expect("write");
    let o = run(&["batch", "-i", s(&input), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = rows(&std::fs::read(&out).expect("read"));
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|r| r["assessment"].is_object()));
    assert_eq!(d.names(), ["in.jsonl", "out.jsonl"]);
}

#[cfg(unix)]
#[test]
fn closed_stdout_fails() {
    let d = TempDir::new("closed");
    let input = d.path("in.jsonl");
    std::fs::write(&input, GOOD).expect("write");
    let o = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" batch -i \"$1\" >&-")
        .arg(env!("CARGO_BIN_EXE_tactful"))
        .arg(&input)
        .output()
        .expect("run sh");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("stdout is closed"), "{}", stderr(&o));
    // `> /dev/null` is a choice, not an accident: it works.
    let o = tactful()
        .args(["batch", "-i", s(&input)])
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .expect("null"),
        )
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    // So is /dev/null opened for reading and writing (Python's `subprocess.DEVNULL`), which
    // is also how Rust's runtime reopens a closed stdout: the binary records which it was
    // before that (Linux, Android, FreeBSD).
    if cfg!(any(
        target_os = "linux",
        target_os = "android",
        target_os = "freebsd"
    )) {
        let o = tactful()
            .args(["batch", "-i", s(&input)])
            .stdout(
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open("/dev/null")
                    .expect("null"),
            )
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

#[test]
fn a_reader_closing_the_pipe_fails_the_batch() {
    // Error rows are cheap, and ~2 MB of them is far more than a pipe buffer holds.
    let line = format!("{{\"id\": \"{}\", \"text\": 1}}\n", "x".repeat(400));
    let input = line.repeat(5000);
    let mut child = tactful()
        .args(["batch", "-i", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let o = child.wait_with_output().expect("wait");
    feeder.join().expect("feeder");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("closed the pipe"), "{}", stderr(&o));
}

#[test]
fn ids_come_back_byte_for_byte() {
    let input = concat!(
        "{\"id\": 123456789012345678901234567890, \"text\": \"My card was stolen\"}\n",
        "{\"id\": 1.50, \"text\": \"Where is my parcel?\"}\n",
        "{\"id\": \"caf\\u00e9 \\\"7\\\"\", \"text\": \"Thanks, all fixed!\"}\n",
        "{\"id\": {\"a\": [1, 2]}, \"text\": \"hello\"}\n",
        "{\"text\": \"no id here\"}\n",
    );
    let o = run_stdin(&["batch", "-i", "-"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).expect("utf-8");
    let ids: Vec<&str> = out
        .lines()
        .map(|l| {
            let rest = l.strip_prefix("{\"id\":").expect("id first");
            let end = rest.find(",\"assessment\"").expect("assessment row");
            &rest[..end]
        })
        .collect();
    assert_eq!(
        ids,
        [
            "123456789012345678901234567890",
            "1.50",
            "\"caf\\u00e9 \\\"7\\\"\"",
            "{\"a\": [1, 2]}",
            "null"
        ]
    );
}

#[test]
fn error_rows_keep_the_id_and_name_the_file_line() {
    let input = concat!(
        "\u{feff}{\"id\": 1, \"text\": \"My card was stolen\"}\n",
        "{\"id\": \"no-text\", \"context\": {\"channel\": \"chat\"}}\n",
        "\n",
        "[1, \"Someone stole my card\", null]\n",
        "{\"id\": 5, \"text\": \"unterminated\n",
        "{\"id\": 6, \"text\": 42}\n",
        "{\"id\": 7, \"text\": \"\"}\n",
        "{\"id\": 8, \"text\": \"hi\", \"context\": {\"colour\": \"red\"}}\n",
    );
    let o = run_stdin(&["batch", "-i", "-"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let got = rows(&o.stdout);
    assert_eq!(got.len(), 7, "one row a non-blank line: {got:?}");
    // The byte-order mark does not cost the first row.
    assert_eq!(got[0]["id"], 1);
    assert!(got[0]["assessment"].is_object(), "{}", got[0]);
    let errs: Vec<(serde_json::Value, u64, String)> = got[1..]
        .iter()
        .map(|r| {
            (
                r["id"].clone(),
                r["line"].as_u64().expect("line"),
                r["error"].as_str().expect("error").to_string(),
            )
        })
        .collect();
    assert_eq!(errs[0].0, "no-text");
    assert_eq!(errs[0].1, 2);
    assert_eq!(errs[0].2, "line 2: missing field `text`");
    // An array is not read positionally.
    assert_eq!(errs[1].0, serde_json::Value::Null);
    assert_eq!(errs[1].1, 4);
    assert!(
        errs[1]
            .2
            .starts_with("line 4: a line must be a JSON object"),
        "{}",
        errs[1].2
    );
    // The file's line, not the JSON parser's "line 1 column N".
    assert_eq!(errs[2].1, 5);
    assert_eq!(
        errs[2].2,
        "line 5: invalid JSON at column 31: EOF while parsing a string"
    );
    assert_eq!((&errs[3].0, errs[3].1), (&serde_json::json!(6), 6));
    assert_eq!(errs[3].2, "line 6: `text` must be a string");
    assert_eq!((&errs[4].0, errs[4].1), (&serde_json::json!(7), 7));
    assert!(errs[4].2.starts_with("line 7: "), "{}", errs[4].2);
    assert_eq!((&errs[5].0, errs[5].1), (&serde_json::json!(8), 8));
    assert!(errs[5].2.contains("colour"), "{}", errs[5].2);
    assert!(errs.iter().all(|e| !e.2.contains("line 1 column")));
}

#[test]
fn an_overlong_line_is_an_error_row_and_the_rest_goes_on() {
    // The engine's default limit is 16 MiB; the line cap is that plus 64 KiB.
    let big = "a".repeat((16 << 20) + (64 << 10) + 10);
    let input = format!("{GOOD}{{\"id\": 2, \"text\": \"{big}\"}}\n{GOOD}");
    drop(big);
    let o = run_stdin(&["batch", "-i", "-"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let got = rows(&o.stdout);
    assert_eq!(got.len(), 3);
    assert!(got[0]["assessment"].is_object());
    assert_eq!(got[1]["line"], 2);
    let msg = got[1]["error"].as_str().expect("error");
    assert!(
        msg.starts_with("line 2: the line is ")
            && msg.contains("longer than the limit of 16842752 bytes"),
        "{msg}"
    );
    assert!(got[2]["assessment"].is_object());
}

#[test]
fn chunks_bounded_by_bytes_keep_the_order() {
    let mut input = String::new();
    for i in 0..40 {
        if i % 3 == 0 {
            input += &format!("{{\"id\": {i}, \"text\": \"Where is my order {i}?\"}}\n");
        } else {
            input += &format!("{{\"id\": {i}, \"text\": {i}}}\n");
        }
    }
    for args in [
        &["batch", "-i", "-", "--chunk-bytes", "1"][..],
        &["batch", "-i", "-", "--chunk-bytes", "100", "--chunk", "7"][..],
    ] {
        let o = run_stdin(args, input.as_bytes());
        assert!(o.status.success(), "{}", stderr(&o));
        let ids: Vec<u64> = rows(&o.stdout)
            .iter()
            .map(|r| r["id"].as_u64().expect("id"))
            .collect();
        assert_eq!(ids, (0..40).collect::<Vec<u64>>(), "{args:?}");
    }
}

#[test]
fn progress_shows_integer_rate_percentage_and_eta() {
    let d = TempDir::new("progress");
    let input = d.path("in.jsonl");
    std::fs::write(&input, "[1]\n".repeat(1234)).expect("write");
    let o = run(&[
        "batch",
        "-i",
        s(&input),
        "-o",
        s(&d.path("out.jsonl")),
        "--progress",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let progress = err
        .lines()
        .find(|l| l.contains("%"))
        .unwrap_or_else(|| panic!("no progress line in {err}"));
    // "tactful batch: 1,234 rows, 56,789 rows/s, 100%, ETA 0s"
    let rest = progress
        .strip_prefix("tactful batch: 1,234 rows, ")
        .unwrap_or_else(|| panic!("{progress}"));
    let (rate, tail) = rest
        .split_once(" rows/s")
        .unwrap_or_else(|| panic!("{progress}"));
    assert!(
        !rate.is_empty() && rate.chars().all(|c| c.is_ascii_digit() || c == ','),
        "an integer with separators: {progress}"
    );
    assert_eq!(tail, ", 100%, ETA 0s");
    let summary = err.lines().last().expect("summary");
    assert!(
        summary.starts_with("tactful batch: 1,234 rows, 1,234 errors, "),
        "{summary}"
    );
    // Without --progress and with stderr not a terminal: only the summary.
    let o = run(&["batch", "-i", s(&input), "-o", s(&d.path("out.jsonl"))]);
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn help_documents_resuming_and_limits() {
    let o = run(&["batch", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Resuming after a kill"), "{help}");
    assert!(
        help.contains("everything up to the last newline is complete"),
        "{help}"
    );
    let o = run(&["assess", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Stdin takes a message of any"), "{help}");
}

#[test]
fn negative_prior_contacts_is_a_clear_error() {
    for cmd in [
        &["assess", "--prior-contacts", "-1", "My card was stolen"][..],
        &[
            "review",
            "--prior-contacts",
            "-1",
            "--customer",
            "x",
            "--reply",
            "y",
        ][..],
        &["conversation", "--prior-contacts", "-1", "-"][..],
    ] {
        let o = run(cmd);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}");
        let err = stderr(&o);
        assert!(
            err.contains(
                "invalid value '-1' for '--prior-contacts <N>': must be a non-negative integer"
            ),
            "{err}"
        );
        assert!(!err.contains("-- -1"), "{err}");
    }
    let o = run(&[
        "assess",
        "--prior-contacts",
        "2",
        "My card was stolen",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_symlink_or_a_pipe_as_output_stays_what_it_is() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let d = TempDir::new("special");
    let input = d.path("in.jsonl");
    std::fs::write(&input, GOOD).expect("write");

    // A symlink: the file it points to gets the rows (its permissions kept), the link stays.
    let real = d.path("real.jsonl");
    std::fs::write(&real, "old\n").expect("write");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = d.path("link.jsonl");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let o = run(&["batch", "-i", s(&input), "-o", s(&link)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    let meta = std::fs::metadata(&real).expect("real");
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    let got = rows(&std::fs::read(&real).expect("read"));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["id"], 1);

    // A FIFO (like /dev/null, not a regular file) is written in place, never replaced.
    let fifo = d.path("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let child = tactful()
        .args(["batch", "-i", s(&input), "-o", s(&fifo)])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let path = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::read(path).expect("read fifo"));
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo(),
        "the FIFO was replaced by a file"
    );
    let got = rows(&reader.join().expect("reader"));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["id"], 1);
    assert_eq!(d.names(), ["fifo", "in.jsonl", "link.jsonl", "real.jsonl"]);
}
