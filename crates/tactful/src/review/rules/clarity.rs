//! Clarity rules: jargon, capitals, repeated words, missing capitals, punctuation runs and
//! the channel's length limits.

use super::Case;
use crate::review::findings::Builder;
use crate::review::matching::{byte_span, span_of, spans};
use crate::review::signals::Reading;
use crate::review::types::FindingCode;

/// Findings about how the draft is written.
pub(super) fn clarity(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) {
    let (doc, lex, draft, ctx, pb) = (&r.doc, b.lex, b.draft, c.ctx, c.pb);
    let words = doc.tokens.len();
    for sp in spans(doc, r.jargon_hits.iter().copied(), 8) {
        b.add(FindingCode::Jargon, sp.start, sp.end, &sp.text);
        b.suggest("replace_jargon", &sp.text);
    }
    let mut caps_run: Vec<usize> = Vec::new();
    let flush_caps = |run: &mut Vec<usize>, b: &mut Builder<'_>| {
        let long = run
            .iter()
            .any(|&i| doc.raw(i).chars().filter(|c| c.is_alphabetic()).count() >= 4);
        if !run.is_empty() && (long || run.len() >= 3) {
            if let (Some(&f), Some(&l)) = (run.first(), run.last()) {
                if let Some(sp) = span_of(doc, f, l + 1) {
                    b.add(FindingCode::AllCaps, sp.start, sp.end, &sp.text);
                    b.suggest("fix_caps", &sp.text);
                }
            }
        }
        run.clear();
    };
    for (i, tok) in doc.tokens.iter().enumerate() {
        let allowed = lex.caps_allowed.contains_key(doc.raw(i)) || doc.raw(i).contains("{{");
        if tok.all_caps && !allowed {
            caps_run.push(i);
        } else {
            flush_caps(&mut caps_run, b);
        }
    }
    flush_caps(&mut caps_run, b);
    for i in 1..doc.tokens.len() {
        let (p, c) = (&doc.tokens[i - 1], &doc.tokens[i]);
        if p.sentence == c.sentence
            && c.has_alpha
            && doc.lower(i) == doc.lower(i - 1)
            && !lex.double_allowed.contains_key(doc.lower(i))
            && draft
                .get(p.end..c.start)
                .is_some_and(|gap| gap.chars().all(char::is_whitespace))
        {
            if let Some(sp) = byte_span(draft, p.start, c.end) {
                b.add(FindingCode::RepeatedWord, sp.start, sp.end, &sp.text);
                b.suggest("fix_slips", "");
            }
        }
    }
    for (a, e) in lowercase_starts(draft, 3) {
        let x: String = draft
            .get(a..)
            .unwrap_or("")
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ");
        b.add(FindingCode::MissingCapital, a, e, &x);
        b.suggest("fix_slips", "");
    }
    {
        let bytes = draft.as_bytes();
        let mut i = 0;
        let mut reported = 0;
        while i < bytes.len() && reported < 3 {
            if bytes[i] == b'!' || bytes[i] == b'?' {
                let mut j = i;
                while j < bytes.len() && (bytes[j] == b'!' || bytes[j] == b'?') {
                    j += 1;
                }
                let run = &bytes[i..j];
                let bangs = run.iter().filter(|&&c| c == b'!').count();
                if run.len() >= 3 || bangs >= 2 || (run.len() == 2 && run[0] != run[1]) {
                    let text = draft.get(i..j).unwrap_or("").to_string();
                    b.add(FindingCode::ExcessivePunctuation, i, j, &text);
                    reported += 1;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        let bangs = bytes.iter().filter(|&&c| c == b'!').count();
        if reported == 0 && bangs >= 4 {
            b.add_whole(
                FindingCode::ExcessivePunctuation,
                &format!("{bangs} exclamation marks"),
            );
        }
    }
    if let Some(ch) = ctx.channel.and_then(|c| pb.channel(c)) {
        let n = words as u32;
        if ch.max_reply_words > 0 && n > ch.max_reply_words {
            b.add_whole(
                FindingCode::TooLongForChannel,
                &format!(
                    "{n} words, at most {} on {}",
                    ch.max_reply_words, ch.channel
                ),
            );
            b.suggest("shorten", "");
        } else if ch.min_reply_words > 0 && n < ch.min_reply_words {
            b.add_whole(
                FindingCode::TooShortForChannel,
                &format!(
                    "{n} words, at least {} on {}",
                    ch.min_reply_words, ch.channel
                ),
            );
            b.suggest("lengthen", "");
        }
    }
}

/// or after `.`, `!`, `?` and a space. Skips "iPhone"-like names, URLs, handles and
/// abbreviations such as "e.g.". The first `max` of them.
fn lowercase_starts(draft: &str, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = draft.as_bytes();
    let mut at_start = true;
    let mut i = 0;
    while i < bytes.len() && out.len() < max {
        let c = bytes[i];
        if at_start && !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\'' | b'(' | b'-' | b'*') {
            at_start = false;
            let word_end = draft
                .get(i..)
                .and_then(|r| r.find(|ch: char| !ch.is_alphanumeric() && ch != '\''))
                .map_or(draft.len(), |n| i + n);
            let word = draft.get(i..word_end).unwrap_or("");
            let mut chars = word.chars();
            if let Some(c0) = chars.next() {
                let inner_caps = chars.any(char::is_uppercase);
                if c0.is_lowercase() && !inner_caps && !is_url_like(draft.get(i..).unwrap_or("")) {
                    out.push((i, word_end));
                }
            }
        }
        if matches!(c, b'.' | b'!' | b'?') {
            let next_ws = bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace);
            if next_ws && !abbreviation_before(draft, i) {
                at_start = true;
            }
        } else if c == b'\n' && bytes.get(i + 1).is_some_and(|&n| n == b'\n' || n == b'\r') {
            at_start = true;
        }
        i += 1;
    }
    out
}

/// True when the `.` at `dot` ends an abbreviation ("e.g.", "i.e.", "etc.", "approx.").
fn abbreviation_before(draft: &str, dot: usize) -> bool {
    if draft.as_bytes().get(dot) != Some(&b'.') {
        return false;
    }
    let before = draft.get(..dot).unwrap_or("");
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        word.as_str(),
        "e.g" | "i.e" | "etc" | "vs" | "approx" | "no" | "nr" | "mr" | "mrs" | "ms" | "dr" | "st"
    ) || word.len() == 1
}

fn is_url_like(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("http") || s.starts_with("www.") || s.starts_with('@') || s.starts_with('#')
}
