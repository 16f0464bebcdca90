//! Collecting findings: each rule adds findings here, which keeps the per-code limit, the
//! penalties of the score's parts, the cap on the total and the suggestions in one place.

use super::data::{Lexicon, PartName};
use super::types::{Finding, FindingCode, Severity, MAX_FINDINGS_PER_CODE};

pub(super) struct Builder<'l> {
    pub(super) lex: &'l Lexicon,
    pub(super) draft: &'l str,
    pub(super) findings: Vec<Finding>,
    pub(super) penalties: [u32; 6],
    /// Suggestions with the severity of the finding that asked for them.
    pub(super) suggestions: Vec<(Severity, String)>,
    /// Severity of the last finding added (suggestions follow their finding).
    pub(super) last: Severity,
    /// The last finding was left out ([`MAX_FINDINGS_PER_CODE`]): so is its suggestion.
    pub(super) last_omitted: bool,
    /// Findings kept per code.
    pub(super) per_code: Vec<(FindingCode, usize)>,
    /// Findings left out, and how many of them were problems.
    pub(super) omitted: usize,
    pub(super) omitted_problems: usize,
    /// The lowest `cap` of the findings added (100: none).
    pub(super) cap: u32,
    pub(super) vars: Vars,
}

#[derive(Default)]
pub(super) struct Vars {
    pub(super) opening: String,
    pub(super) timeframe: String,
    pub(super) alternatives: String,
}

fn part_index(p: PartName) -> usize {
    match p {
        PartName::Empathy => 0,
        PartName::Action => 1,
        PartName::Tone => 2,
        PartName::Clarity => 3,
        PartName::Personalization => 4,
        PartName::Fit => 5,
    }
}

impl<'l> Builder<'l> {
    pub(super) fn new(lex: &'l Lexicon, draft: &'l str) -> Builder<'l> {
        Builder {
            lex,
            draft,
            findings: Vec::new(),
            penalties: [0; 6],
            suggestions: Vec::new(),
            last: Severity::Info,
            last_omitted: false,
            per_code: Vec::new(),
            omitted: 0,
            omitted_problems: 0,
            cap: 100,
            vars: Vars::default(),
        }
    }

    /// Applies `code`'s `cap_alone`: the finding is all the reply does.
    pub(super) fn cap_alone(&mut self, code: FindingCode) {
        if let Some(c) = self.lex.findings.get(&code).and_then(|s| s.cap_alone) {
            self.cap = self.cap.min(u32::from(c));
        }
    }

    pub(super) fn add(&mut self, code: FindingCode, start: usize, end: usize, x: &str) {
        let Some(spec) = self.lex.findings.get(&code) else {
            return;
        };
        let kept = match self.per_code.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => n,
            None => {
                self.per_code.push((code, 0));
                // Just pushed: the last entry exists.
                let Some((_, n)) = self.per_code.last_mut() else {
                    return;
                };
                n
            }
        };
        // One penalty per code and part: ten jargon words do not zero the clarity score twice.
        // Findings left out still count, so the score does not depend on the cap.
        let penalty = if *kept == 0 {
            u32::from(spec.penalty)
        } else {
            u32::from(spec.penalty) / 3
        };
        let p = &mut self.penalties[part_index(spec.part)];
        *p = p.saturating_add(penalty);
        if let Some(c) = spec.cap {
            self.cap = self.cap.min(u32::from(c));
        }
        self.last = spec.severity;
        if *kept >= MAX_FINDINGS_PER_CODE {
            self.omitted += 1;
            self.omitted_problems += usize::from(spec.severity == Severity::Problem);
            self.last_omitted = true;
            return;
        }
        *kept += 1;
        self.last_omitted = false;
        self.findings.push(Finding {
            code,
            severity: spec.severity,
            message: spec.message.replace("{x}", &crate::text::excerpt(x)),
            start,
            end,
        });
    }

    pub(super) fn add_whole(&mut self, code: FindingCode, x: &str) {
        let end = self.draft.len();
        self.add(code, 0, end, x);
    }

    pub(super) fn suggest(&mut self, key: &str, x: &str) {
        if self.last_omitted {
            return;
        }
        let Some(t) = self.lex.suggestions.get(key) else {
            return;
        };
        if (t.contains("{opening}") && self.vars.opening.is_empty())
            || (t.contains("{timeframe}") && self.vars.timeframe.is_empty())
        {
            return;
        }
        let s = t
            .replace("{x}", x)
            .replace("{opening}", &self.vars.opening)
            .replace("{timeframe}", &self.vars.timeframe)
            .replace("{alternatives}", &self.vars.alternatives);
        // One suggestion quoting the recommended opening is enough.
        if t.contains("{opening}")
            && self
                .suggestions
                .iter()
                .any(|(_, x)| x.contains(self.vars.opening.as_str()))
        {
            return;
        }
        match self.suggestions.iter_mut().find(|(_, x)| *x == s) {
            Some(existing) => existing.0 = existing.0.max(self.last),
            None => self.suggestions.push((self.last, s)),
        }
    }
}

impl Builder<'_> {
    /// The findings in draft order, whole-reply findings after the spans by severity, and
    /// the suggestions for the worst problems first.
    pub(super) fn finish(self) -> (Vec<Finding>, Vec<String>, usize) {
        // Findings in draft order; whole-reply findings after the spans, by severity.
        let len = self.draft.len();
        let mut findings = self.findings;
        findings.sort_by(|x, y| {
            let wx = x.start == 0 && x.end == len;
            let wy = y.start == 0 && y.end == len;
            wx.cmp(&wy)
                .then_with(|| {
                    if wx {
                        y.severity.cmp(&x.severity)
                    } else {
                        x.start.cmp(&y.start)
                    }
                })
                // By name, not by code number: the order JSON output has always had.
                .then_with(|| x.code.as_str().cmp(y.code.as_str()))
        });
        // Suggestions for the worst problems first (stable within a severity).
        let mut suggestions = self.suggestions;
        suggestions.sort_by_key(|x| std::cmp::Reverse(x.0));
        let suggestions: Vec<String> = suggestions.into_iter().map(|(_, s)| s).collect();
        (findings, suggestions, self.omitted)
    }
}
