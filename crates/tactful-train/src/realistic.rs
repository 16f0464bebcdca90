//! Agreement with the team-lead labels of realistic messages (twcs_dev, the corpus's
//! held-out part, the golden cases): for each field, over the rows where it is labeled, a
//! prediction is right when it is one of the accepted answers (twcs_dev's scoring rule).

use std::fmt::Write as _;

use tactful::{Channel, Context, Engine};

use crate::data::{Situation, CATEGORIES};
use crate::metrics::Report;

/// The fields scored, in report order.
pub const FIELDS: [&str; 6] = [
    "category", "emotion", "urgency", "stance", "approach", "empathy",
];

/// Per-field agreement of one engine on one set.
#[derive(Debug, Clone, Default)]
pub struct Agreement {
    pub rows: usize,
    /// (right, labeled) per field of [`FIELDS`].
    pub fields: [(usize, usize); 6],
    /// Category macro-F1 (prediction as gold when accepted, else the first answer).
    pub category: Option<Report>,
    /// (flagged, labeled) for `vulnerable`.
    pub vulnerable: (usize, usize),
    /// (raised, rows without it in any annotator's flags) for `repeat_contact`.
    pub repeat_false: (usize, usize),
}

impl Agreement {
    pub fn rate(&self, field: &str) -> f64 {
        FIELDS
            .iter()
            .position(|f| *f == field)
            .map_or(0.0, |i| ratio(self.fields[i]))
    }

    pub fn macro_f1(&self) -> f64 {
        self.category.as_ref().map_or(0.0, Report::macro_f1)
    }

    pub fn vulnerable_recall(&self) -> f64 {
        ratio(self.vulnerable)
    }

    /// One Markdown table row: set, rows, each field, macro-F1, vulnerable recall.
    pub fn md_row(&self, name: &str) -> String {
        let mut s = format!("| {name} | {} |", self.rows);
        for f in FIELDS {
            let _ = write!(s, " {:.3} |", self.rate(f));
        }
        let _ = write!(s, " {:.3} |", self.macro_f1());
        if self.vulnerable.1 > 0 {
            let _ = write!(
                s,
                " {:.3} ({}) |",
                self.vulnerable_recall(),
                self.vulnerable.1
            );
        } else {
            s.push_str(" — |");
        }
        s
    }

    pub fn line(&self) -> String {
        let mut s = String::new();
        for f in FIELDS {
            let _ = write!(s, "{f} {:.3}  ", self.rate(f));
        }
        let _ = write!(
            s,
            "| cat macro-F1 {:.3} | vulnerable recall {:.3} ({}) | repeat_contact false alarms {}/{}",
            self.macro_f1(),
            self.vulnerable_recall(),
            self.vulnerable.1,
            self.repeat_false.0,
            self.repeat_false.1
        );
        s
    }
}

fn ratio((a, b): (usize, usize)) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn channel_of(name: &str, default: Channel) -> Channel {
    Channel::ALL
        .iter()
        .copied()
        .find(|c| c.as_str() == name)
        .unwrap_or(default)
}

/// Scores `engine` on `rows`; each row's own channel when it has one, else `default`.
pub fn agreement(engine: &Engine, rows: &[Situation], default: Channel) -> Agreement {
    let labels: Vec<String> = CATEGORIES.iter().map(|c| c.to_string()).collect();
    let mut a = Agreement {
        category: Some(Report::new(labels)),
        ..Agreement::default()
    };
    for r in rows {
        let ctx = Context::builder()
            .channel(channel_of(&r.channel, default))
            .build()
            .unwrap_or_default();
        let Ok(x) = engine.assess(&r.text, &ctx) else {
            continue;
        };
        a.rows += 1;
        let s = &x.situation;
        let cat = CATEGORIES
            .iter()
            .position(|c| *c == &*s.category.label)
            .unwrap_or(10);
        let approach = x.recommendation.approach.as_str();
        let empathy = x.recommendation.empathy.as_str();
        let results: [(bool, bool); 6] = [
            (!r.category.is_empty(), r.category.contains(&cat)),
            (
                !r.emotion.is_empty(),
                r.emotion.contains(&(s.emotion.label.code() as usize)),
            ),
            (
                !r.urgency.is_empty(),
                r.urgency.contains(&(s.urgency.code() as usize)),
            ),
            (
                !r.stance.is_empty(),
                r.stance.contains(&(s.stance.code() as usize)),
            ),
            (
                !r.approach.is_empty(),
                r.approach.iter().any(|x| x == approach),
            ),
            (
                !r.empathy.is_empty(),
                r.empathy.iter().any(|x| x == empathy),
            ),
        ];
        for (i, (labeled, right)) in results.into_iter().enumerate() {
            if labeled {
                a.fields[i].1 += 1;
                if right {
                    a.fields[i].0 += 1;
                }
            }
        }
        if let (Some(rep), Some(&first)) = (a.category.as_mut(), r.category.first()) {
            let gold = if r.category.contains(&cat) {
                cat
            } else {
                first
            };
            rep.add(gold, cat);
        }
        let flags: Vec<&str> = s.flags.iter().map(|f| f.as_str()).collect();
        if r.flags.iter().any(|f| f == "vulnerable") {
            a.vulnerable.1 += 1;
            if flags.contains(&"vulnerable") {
                a.vulnerable.0 += 1;
            }
        }
        if !r.flags_either.iter().any(|f| f == "repeat_contact") {
            a.repeat_false.1 += 1;
            if flags.contains(&"repeat_contact") {
                a.repeat_false.0 += 1;
            }
        }
    }
    a
}
