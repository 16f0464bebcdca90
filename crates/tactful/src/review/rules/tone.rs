//! Tone rules: blame, defensiveness, minimizing, canned phrases, lines already sent, and a
//! "no" without an alternative (or wrapped in sympathy).

use super::Case;
use crate::review::data::Cue;
use crate::review::findings::Builder;
use crate::review::matching::spans;
use crate::review::normalize_line;
use crate::review::signals::Reading;
use crate::review::types::FindingCode;

/// Tone findings, in the order the suggestions have always come in.
pub(super) fn tone(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) {
    let (doc, m, empathy, alt, draft, extras) =
        (&r.doc, &r.m, &r.empathy, &r.alt, b.draft, c.extras);
    for (cue, code, sug) in [
        (Cue::Blame, FindingCode::Blame, "remove_blame"),
        (Cue::Defensive, FindingCode::Defensive, "remove_defensive"),
        (
            Cue::Minimizing,
            FindingCode::Minimizing,
            "remove_minimizing",
        ),
    ] {
        for s in spans(doc, m.of(cue).map(|x| (x.first, x.last)), 4) {
            b.add(code, s.start, s.end, &s.text);
            b.suggest(sug, &s.text);
        }
    }
    for sp in spans(doc, r.canned_hits.iter().copied(), 8) {
        b.add(FindingCode::CannedPhrase, sp.start, sp.end, &sp.text);
        b.suggest("rewrite_canned", &sp.text);
    }
    // Boilerplate with nothing done or promised is a template reply, whatever its length.
    if !r.canned_hits.is_empty() && r.own.is_empty() && !r.acted() {
        b.cap_alone(FindingCode::CannedPhrase);
    }
    if let Some(hist) = extras.history {
        for &(sa, se) in &doc.sentences {
            let s = draft.get(sa..se).unwrap_or("");
            let norm = normalize_line(s);
            if norm.split(' ').count() >= 4 && hist.iter().any(|h| *h == norm) {
                let text = s.trim();
                b.add(FindingCode::RepeatedLine, sa, sa + s.trim_end().len(), text);
                b.suggest("drop_repeat", "");
            }
        }
    }
    let has_alternative = !alt.is_empty();
    if !has_alternative {
        if let Some(s) = spans(doc, m.of(Cue::Negative).map(|x| (x.first, x.last)), 1)
            .into_iter()
            .next()
        {
            b.add(
                FindingCode::NegativeWithoutAlternative,
                s.start,
                s.end,
                &s.text,
            );
            b.suggest("add_alternative", "");
            // The "no" wrapped in sympathy: empathy covering a refusal.
            if empathy.emotional_reactions.level > 0
                || empathy.interpretations.level > 0
                || m.has(Cue::Apology)
            {
                b.add(FindingCode::EmpathyCoveringRefusal, s.start, s.end, &s.text);
                b.suggest("add_alternative", "");
            }
        }
    }
}
