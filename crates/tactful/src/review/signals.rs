//! Reading the draft: empathy mechanisms, ownership, next steps, time frames,
//! personalization and alternatives. These are reported as they are and feed the rules.

use super::data::{Cue, Lexicon};
use super::matching::{byte_span, find_words, playbook_cues, span_of, spans, Matches, PbCue};
use super::types::{EmpathyMechanisms, MechanismScore, Span, MAX_SPANS_PER_SIGNAL};
use super::words::Doc;
use crate::{Context, Playbook};

fn sentence_is_question(doc: &Doc<'_>, sentence: u32) -> bool {
    doc.sentences
        .get(sentence as usize)
        .and_then(|&(a, b)| doc.text.get(a..b))
        .is_some_and(|s| s.contains('?'))
}

/// Words from which a sentence is taken to be about something specific.
const SPECIFIC_SENTENCE_WORDS: usize = 8;

/// Words in the sentence holding token `i`.
fn sentence_len(doc: &Doc<'_>, i: usize) -> usize {
    let Some(s) = doc.tokens.get(i).map(|t| t.sentence) else {
        return 0;
    };
    // Tokens are in order: count around `i` without scanning the whole text.
    let before = doc.tokens[..i]
        .iter()
        .rev()
        .take_while(|t| t.sentence == s)
        .count();
    let after = doc.tokens[i..]
        .iter()
        .take_while(|t| t.sentence == s)
        .count();
    before + after
}

pub(super) fn empathy_of(doc: &Doc<'_>, m: &Matches) -> EmpathyMechanisms {
    let level_spans = |weak: Cue, strong: Cue| -> MechanismScore {
        let mut level = 0u8;
        let mut v = Vec::new();
        for x in m.list.iter().filter(|x| x.cue == weak || x.cue == strong) {
            level = level.max(if x.cue == strong { 2 } else { 1 });
            v.push((x.first, x.last));
        }
        MechanismScore {
            level,
            spans: spans(doc, v.into_iter(), 8),
        }
    };
    let emotional_reactions = level_spans(Cue::Er1, Cue::Er2);
    let mut interpretations = level_spans(Cue::Ip1, Cue::Ip2);
    // A generic claim of understanding becomes specific when the sentence goes on to name
    // what is understood ("I understand how hard it is to lose a job like that").
    if interpretations.level == 1
        && m.list
            .iter()
            .any(|x| x.cue == Cue::Ip1 && sentence_len(doc, x.first) >= SPECIFIC_SENTENCE_WORDS)
    {
        interpretations.level = 2;
    }
    // Explorations count only as questions (or explicit invitations), and not when the
    // question is advice in disguise ("have you tried …?").
    let mut level = 0u8;
    let mut v = Vec::new();
    for x in &m.list {
        let lvl = match x.cue {
            Cue::Invitation => 2,
            Cue::Ex2 | Cue::Ex1 => {
                let sentence = doc.tokens.get(x.first).map_or(0, |t| t.sentence);
                if !sentence_is_question(doc, sentence) || m.at(x.first, Cue::Suggestion) {
                    continue;
                }
                // A generic question ("What happened?") is weak; a longer one asks about
                // something specific and counts as strong.
                if x.cue == Cue::Ex2 || sentence_len(doc, x.first) >= SPECIFIC_SENTENCE_WORDS {
                    2
                } else {
                    1
                }
            }
            _ => continue,
        };
        level = level.max(lvl);
        v.push((x.first, x.last));
    }
    EmpathyMechanisms {
        emotional_reactions,
        interpretations,
        explorations: MechanismScore {
            level,
            spans: spans(doc, v.into_iter(), 8),
        },
    }
}

/// First-person commitments: a subject, optional auxiliaries, then an action verb, with no
/// negation in between ("I'll refund", "I have just now sent", not "I can't refund").
fn ownership(doc: &Doc<'_>, m: &Matches) -> (Vec<(usize, usize)>, bool) {
    let mut out = Vec::new();
    let mut personal = false;
    for c in m.of(Cue::Commitment) {
        out.push((c.first, c.last));
        personal |= doc.lower(c.first).starts_with('i') || doc.lower(c.first) == "what";
    }
    for s in m
        .list
        .iter()
        .filter(|x| x.cue == Cue::FirstPerson || x.cue == Cue::Team)
    {
        let mut j = s.last;
        let limit = (s.last + 5).min(doc.tokens.len());
        let mut found = None;
        while j < limit {
            if m.at(j, Cue::Negation) {
                break;
            }
            if let Some(a) = m.longest_at(j, Cue::Action) {
                found = Some(a.last);
                break;
            }
            if !m.at(j, Cue::Aux) {
                break;
            }
            j += 1;
        }
        if let Some(end) = found {
            // A commitment never crosses a sentence boundary.
            let same = doc.tokens.get(s.first).map(|t| t.sentence)
                == doc.tokens.get(end.saturating_sub(1)).map(|t| t.sentence);
            if same {
                personal |= s.cue == Cue::FirstPerson;
                out.push((s.first, end));
            }
        }
    }
    (out, personal)
}

fn time_frames(doc: &Doc<'_>, m: &Matches) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = m.of(Cue::Timeframe).map(|x| (x.first, x.last)).collect();
    for u in m.of(Cue::TimeUnit) {
        let before = u.first.checked_sub(1);
        let quantities = m.starting_in(u.first.saturating_sub(4)..u.first);
        let quantity_before = before.is_some_and(|b| {
            doc.tokens.get(b).is_some_and(|t| t.has_digit)
                || quantities
                    .iter()
                    .any(|q| q.cue == Cue::TimeQuantity && q.last == u.first)
        });
        let digit_after = doc.tokens.get(u.last).is_some_and(|t| t.has_digit);
        if quantity_before {
            let start = quantities
                .iter()
                .filter(|q| q.cue == Cue::TimeQuantity && q.last == u.first)
                .map(|q| q.first)
                .min()
                .unwrap_or(u.first.saturating_sub(1));
            out.push((start, u.last));
        } else if digit_after {
            out.push((u.first, u.last + 1));
        }
    }
    // Clock times written as one token: "5pm", "10am".
    for (i, t) in doc.tokens.iter().enumerate() {
        if t.has_digit {
            let l = doc.lower(i);
            if (l.ends_with("am") || l.ends_with("pm"))
                && l.as_bytes().first().is_some_and(u8::is_ascii_digit)
            {
                out.push((i, i + 1));
            }
        }
    }
    out
}

/// The draft as read: its words, the cue matches and the signals the rules build on.
pub(super) struct Reading<'d> {
    pub(super) doc: Doc<'d>,
    pub(super) m: Matches,
    pub(super) empathy: EmpathyMechanisms,
    /// Ownership statements (token ranges) and whether one is in the first person singular.
    pub(super) own: Vec<(usize, usize)>,
    pub(super) personal_ownership: bool,
    pub(super) own_spans: Vec<Span>,
    pub(super) next_spans: Vec<Span>,
    /// Time frames (token ranges).
    pub(super) tf: Vec<(usize, usize)>,
    pub(super) tf_spans: Vec<Span>,
    pub(super) personalization: Vec<Span>,
    /// The customer's first name appears in the draft.
    pub(super) name_used: bool,
    pub(super) history_spans: Vec<Span>,
    pub(super) alt: Vec<Span>,
    /// One of the context's allowed alternatives or its gesture is named.
    pub(super) allowed_named: bool,
    /// The playbook's canned phrases and jargon found (token ranges).
    pub(super) canned_hits: Vec<(usize, usize)>,
    pub(super) jargon_hits: Vec<(usize, usize)>,
}

impl<'d> Reading<'d> {
    /// One pass of matching over `draft`, then the signals.
    pub(super) fn read(lex: &Lexicon, pb: &Playbook, draft: &'d str, ctx: &Context) -> Reading<'d> {
        let doc = Doc::new(draft);
        let m = Matches::find(lex, &doc);
        let empathy = empathy_of(&doc, &m);
        let (own, personal_ownership) = ownership(&doc, &m);
        let own_spans = spans(&doc, own.iter().copied(), 8);
        let mut next: Vec<(usize, usize)> =
            m.of(Cue::NextStep).map(|x| (x.first, x.last)).collect();
        next.extend(own.iter().copied());
        let next_spans = spans(&doc, next.iter().copied(), 8);
        let tf = time_frames(&doc, &m);
        let tf_spans = spans(&doc, tf.iter().copied(), 8);

        let mut personalization = Vec::new();
        let name = ctx.name().and_then(|n| n.split_whitespace().next());
        let mut name_used = false;
        if let Some(n) = name {
            let n_lower = n.to_lowercase();
            for i in 0..doc.tokens.len() {
                if doc.lower(i) == n_lower {
                    name_used = true;
                    if personalization.len() >= MAX_SPANS_PER_SIGNAL {
                        break;
                    }
                    if let Some(sp) = span_of(&doc, i, i + 1) {
                        personalization.push(sp);
                    }
                }
            }
        }
        let lower = if ctx.allowed_alternatives.is_empty() && ctx.max_gesture.is_none() {
            String::new()
        } else {
            draft.to_ascii_lowercase()
        };
        let history_spans = spans(&doc, m.of(Cue::History).map(|x| (x.first, x.last)), 4);
        personalization.extend(history_spans.iter().cloned());

        let mut alt: Vec<Span> = spans(&doc, m.of(Cue::Alternative).map(|x| (x.first, x.last)), 6);
        let mut allowed_named = false;
        for a in &ctx.allowed_alternatives {
            let a_lower = a.trim().to_ascii_lowercase();
            if a_lower.is_empty() {
                continue;
            }
            find_words(&lower, &a_lower, false, |s, e| {
                allowed_named = true;
                if alt.len() < MAX_SPANS_PER_SIGNAL * 4 {
                    if let Some(sp) = byte_span(draft, s, e) {
                        alt.push(sp);
                    }
                }
            });
        }
        if let Some(g) = &ctx.max_gesture {
            let g_lower = g.trim().to_ascii_lowercase();
            find_words(&lower, &g_lower, false, |s, e| {
                allowed_named = true;
                if alt.len() < MAX_SPANS_PER_SIGNAL * 4 {
                    if let Some(sp) = byte_span(draft, s, e) {
                        alt.push(sp);
                    }
                }
            });
        }
        alt.sort_by_key(|s| (s.start, s.end));
        alt.dedup();
        alt.truncate(MAX_SPANS_PER_SIGNAL);

        let pc = playbook_cues(pb);
        let mut canned_hits: Vec<(usize, usize)> = Vec::new();
        let mut jargon_hits: Vec<(usize, usize)> = Vec::new();
        pc.set.for_each_match(&doc, |x| match *x.value {
            PbCue::Canned => canned_hits.push((x.first, x.last)),
            // An acronym ("SLA", "MID") is jargon only in capitals: "mid-week" is not.
            PbCue::Jargon(acronym) => {
                if !acronym
                    || (x.first..x.last).all(|i| doc.tokens.get(i).is_some_and(|t| t.all_caps))
                {
                    jargon_hits.push((x.first, x.last));
                }
            }
        });
        Reading {
            doc,
            m,
            empathy,
            own,
            personal_ownership,
            own_spans,
            next_spans,
            tf,
            tf_spans,
            personalization,
            name_used,
            history_spans,
            alt,
            allowed_named,
            canned_hits,
            jargon_hits,
        }
    }

    /// The draft commits to an action or names a next step.
    pub(super) fn acted(&self) -> bool {
        !self.own.is_empty() || self.m.has(Cue::NextStep)
    }

    /// The sentence of token `first` asks something of the customer: a request or a
    /// question, not negated.
    pub(super) fn request_sentence(&self, first: usize) -> bool {
        let (doc, m) = (&self.doc, &self.m);
        let Some(sent) = doc.tokens.get(first).map(|t| t.sentence) else {
            return false;
        };
        let in_sentence = |c: Cue| m.in_sentence(sent, c);
        (in_sentence(Cue::Request) || sentence_is_question(doc, sent))
            && !in_sentence(Cue::Negation)
    }

    /// The agent's own action comes first in the sentence of token `first` ("I'll send you
    /// the reference", "I'm resetting your router"): what follows is not asked of the customer.
    pub(super) fn agent_acts_before(&self, first: usize) -> bool {
        let doc = &self.doc;
        let sent = doc.tokens.get(first).map(|t| t.sentence);
        self.own
            .iter()
            .any(|&(f, _)| f <= first && doc.tokens.get(f).map(|t| t.sentence) == sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::lexicon;

    #[test]
    fn ownership_needs_action_without_negation() {
        let lex = lexicon().unwrap();
        for (text, yes) in [
            ("I'll refund the charge today.", true),
            ("I have just now sent the replacement.", true),
            ("Let me check that for you.", true),
            ("I can't refund this order.", false),
            ("I'm so sorry about this.", false),
            ("I've been there myself.", false),
        ] {
            let d = Doc::new(text);
            let m = Matches::find(lex, &d);
            assert_eq!(!ownership(&d, &m).0.is_empty(), yes, "{text}");
        }
    }

    #[test]
    fn time_frames_found() {
        let lex = lexicon().unwrap();
        for text in [
            "within 24 hours",
            "by Friday",
            "in 3 business days",
            "in a few minutes",
            "on May 3",
            "before 5pm",
        ] {
            let d = Doc::new(text);
            let m = Matches::find(lex, &d);
            assert!(!time_frames(&d, &m).is_empty(), "{text}");
        }
        let d = Doc::new("You may receive it.");
        let m = Matches::find(lex, &d);
        assert!(time_frames(&d, &m).is_empty());
    }
}
