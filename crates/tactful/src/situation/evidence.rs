//! Evidence: the spans of the text that back each decision, bounded in number; each span
//! carries its byte offsets and an excerpt of its text capped at 200 bytes.

use super::features::Span;
use crate::types::Evidence;
use crate::EvidenceSignal;

/// Collects evidence spans, ordered by position, bounded in number.
pub(crate) struct EvidenceSink<'t> {
    text: &'t str,
    max: usize,
    items: Vec<(EvidenceSignal, usize, usize)>,
}

impl<'t> EvidenceSink<'t> {
    pub(crate) fn new(text: &'t str, max: usize) -> Self {
        EvidenceSink {
            text,
            max,
            items: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, signal: EvidenceSignal, start: usize, end: usize) {
        if self.items.len() < self.max * 2 {
            self.items.push((signal, start, end));
        }
    }

    pub(super) fn spans(&mut self, signal: EvidenceSignal, spans: &[Span]) {
        for &(s, e) in spans {
            self.push(signal.clone(), s, e);
        }
    }

    pub(crate) fn finish(mut self) -> Vec<Evidence> {
        // Decisions first (category, emotion) were pushed first; keep that priority, then
        // order the kept spans by position for reading.
        self.items.truncate(self.max);
        // By name, not by variant: the order (and what is a duplicate) is the one of the
        // names in the output.
        self.items.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then(a.2.cmp(&b.2))
                .then(a.0.as_str().cmp(b.0.as_str()))
        });
        self.items
            .dedup_by(|a, b| a.0.as_str() == b.0.as_str() && a.1 == b.1 && a.2 == b.2);
        let text = self.text;
        self.items
            .into_iter()
            .filter_map(|(signal, s, e)| {
                text.get(s..e).map(|t| Evidence {
                    signal,
                    start: s,
                    end: e,
                    text: crate::text::excerpt(t),
                })
            })
            .collect()
    }
}
