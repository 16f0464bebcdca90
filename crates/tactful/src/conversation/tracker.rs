//! Following a conversation turn by turn: the heat of each customer turn, its trajectory,
//! repetition, waiting times and escalation, and the review of each agent turn against the
//! adapted recommendation and the lines already sent.

use std::collections::VecDeque;

use rustc_hash::FxHashSet;

use super::adapt::TurnCues;
use super::state::{ConversationState, Speaker, Trajectory, TurnSignals, TurnSummary, TurnView};
use crate::review::words::Doc;
use crate::review::{self, normalize_line, CustomerCue, Extras, Span, Target};
use crate::{Approach, Assessment, Channel, Context, Emotion, Engine, Error, Flag, Recommendation};

/// Follows one conversation. Not shared between threads while pushing (it is `Send`).
///
/// ```
/// use tactful::{Context, Conversation, Engine};
/// let mut c = Conversation::new(Engine::default(), Context::default());
/// c.push_customer("My card was charged twice for order 4411!", Some(0))?;
/// c.push_agent("I'm so sorry you feel that way.", Some(30))?;
/// let v = c.push_customer("Stop apologizing and just fix it!", Some(60))?;
/// assert_eq!(v.state.empathy_landed, Some(false));
/// assert!(v.state.action_mode);
/// let r = v.state.recommendation.as_ref().map(|r| r.approach);
/// assert_eq!(r, Some(tactful::Approach::ResolveFirst));
/// # Ok::<(), tactful::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Conversation {
    pub(super) engine: Engine,
    pub(super) ctx: Context,
    pub(super) state: ConversationState,
    history: VecDeque<TurnSummary>,
    heats: VecDeque<f64>,
    valences: VecDeque<f64>,
    customer_words: VecDeque<FxHashSet<String>>,
    agent_lines: VecDeque<String>,
    last_ts: Option<u64>,
    first_unanswered_ts: Option<u64>,
    last_assessment: Option<Assessment>,
    /// The last agent turn showed empathy and no customer turn has answered it yet.
    pending_empathy: bool,
    agent_since_customer: bool,
    high_heat_streak: u32,
    backfires: u32,
    pub(super) pending_approach: Option<Approach>,
    /// The last accepted recommendation before adaptation (kept stable across small changes).
    pub(super) base: Option<Recommendation>,
    /// The issue of the conversation: the last category other than `other` (a turn like
    /// "just fix it!" names no issue, the conversation still has one).
    pub(super) topic: Option<String>,
}

impl Conversation {
    /// A new conversation with this engine and what is known about the customer.
    pub fn new(engine: Engine, ctx: Context) -> Conversation {
        Conversation {
            engine,
            ctx,
            state: ConversationState::default(),
            history: VecDeque::new(),
            heats: VecDeque::new(),
            valences: VecDeque::new(),
            customer_words: VecDeque::new(),
            agent_lines: VecDeque::new(),
            last_ts: None,
            first_unanswered_ts: None,
            last_assessment: None,
            pending_empathy: false,
            agent_since_customer: false,
            high_heat_streak: 0,
            backfires: 0,
            pending_approach: None,
            base: None,
            topic: None,
        }
    }

    /// Where the conversation stands.
    pub fn state(&self) -> &ConversationState {
        &self.state
    }

    /// Summaries of the most recent turns (at most the configured limit, oldest first).
    pub fn recent_turns(&self) -> impl Iterator<Item = &TurnSummary> + '_ {
        self.history.iter()
    }

    /// The context the conversation was created with.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Pushes a turn of either speaker.
    pub fn push(
        &mut self,
        speaker: Speaker,
        text: &str,
        timestamp: Option<u64>,
    ) -> Result<TurnView, Error> {
        match speaker {
            Speaker::Customer => self.push_customer(text, timestamp),
            Speaker::Agent => self.push_agent(text, timestamp),
        }
    }

    fn check_ts(&self, ts: Option<u64>) -> Result<(), Error> {
        if let (Some(t), Some(last)) = (ts, self.last_ts) {
            if t < last {
                return Err(Error::InvalidTurn(format!(
                    "timestamp {t} is earlier than the previous turn's {last}"
                )));
            }
        }
        Ok(())
    }

    fn remember(&mut self, s: TurnSummary) {
        let cap = review::lexicon().map_or(64, |l| l.limits.max_turns_kept.max(1));
        while self.history.len() >= cap {
            self.history.pop_front();
        }
        self.history.push_back(s);
    }

    /// Pushes what the customer wrote or said; `timestamp` in seconds (any epoch, non-decreasing).
    ///
    /// Errors: [`Error::EmptyInput`], [`Error::InputTooLarge`], [`Error::InvalidContext`],
    /// [`Error::InvalidTurn`] when the timestamp goes backwards. A failed push changes nothing.
    pub fn push_customer(&mut self, text: &str, timestamp: Option<u64>) -> Result<TurnView, Error> {
        self.check_ts(timestamp)?;
        let lex = review::lexicon()?;
        let limits = &lex.limits;
        let doc = Doc::new(text);

        // Customer-side cues.
        let mut backfire = Vec::new();
        let (mut calm, mut anger, mut repeat_cue, mut supervisor) = (0u32, 0u32, false, false);
        lex.customer.for_each_match(&doc, |m| match m.value {
            CustomerCue::Backfire => backfire.push((m.first, m.last)),
            CustomerCue::Calm => calm += 1,
            CustomerCue::Anger => anger += 1,
            CustomerCue::Repeat => repeat_cue = true,
            CustomerCue::Supervisor => supervisor = true,
        });
        let backfire: Vec<Span> = backfire
            .into_iter()
            .filter_map(|(a, b)| {
                let s = doc.tokens.get(a)?.start;
                let e = doc.tokens.get(b.checked_sub(1)?)?.end;
                Some(Span {
                    start: s,
                    end: e,
                    text: crate::text::excerpt(text.get(s..e)?),
                })
            })
            .take(MAX_CUE_SPANS)
            .collect();

        // Repetition: the same content words as an earlier customer turn, after the agent spoke.
        let words: FxHashSet<String> = (0..doc.tokens.len())
            .filter(|&i| {
                let t = &doc.tokens[i];
                let len = doc.lower(i).len();
                (t.has_alpha || t.has_digit) && (3..=MAX_WORD_BYTES).contains(&len)
            })
            .map(|i| doc.stem(i).to_string())
            .filter(|w| !lex.stopwords.contains_key(w))
            .collect();
        let overlaps = self.customer_words.iter().any(|prev| {
            let small = prev.len().min(words.len());
            small >= 3
                && (prev.intersection(&words).count() as f64 / small as f64)
                    >= limits.repeat_overlap
        });
        let repeated = self.state.agent_turns > 0
            && !self.customer_words.is_empty()
            && (overlaps || repeat_cue);

        // Assess with the history in mind: a restated issue is a repeat contact.
        let mut ctx = self.ctx.clone();
        let reps = self.state.repetitions + u32::from(repeated);
        ctx.prior_contacts = ctx.prior_contacts.saturating_add(reps);
        let assessment = self.engine.assess(text, &ctx)?;

        // Heat: the classifier's negative emotion, or the cues, whichever is stronger.
        let s = &assessment.situation;
        let negative_emotion = matches!(
            s.emotion.label,
            Emotion::Anger | Emotion::Frustration | Emotion::Anxiety | Emotion::Sadness
        );
        let cls_heat = 0.5 * (-s.sentiment).max(0.0)
            + if negative_emotion {
                0.5 * s.emotion.intensity
            } else {
                0.0
            };
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let upper = text.chars().filter(|c| c.is_uppercase()).count();
        let caps_ratio = if letters >= 12 {
            upper as f64 / letters as f64
        } else {
            0.0
        };
        let bangs = text.matches('!').count().min(3) as f64;
        let own_heat = (0.18 * f64::from(anger.min(4))
            + if backfire.is_empty() { 0.0 } else { 0.4 }
            + if caps_ratio > 0.5 { 0.3 } else { 0.0 }
            + 0.08 * bangs
            + if supervisor { 0.15 } else { 0.0 }
            + if repeated { 0.1 } else { 0.0 })
        .min(1.0);
        let calmed = calm > 0 && anger == 0 && backfire.is_empty();
        let calm_relief = if calmed {
            0.25 * f64::from(calm.min(2))
        } else {
            0.0
        };
        let heat = (cls_heat.max(own_heat) - calm_relief).clamp(0.0, 1.0);
        let valence = (0.5 * s.sentiment + 0.5 * (calm_relief - own_heat)).clamp(-1.0, 1.0);

        // Trajectories against the mean of the last two customer turns.
        let mean = |v: &VecDeque<f64>| -> Option<f64> {
            let n = v.len().min(2);
            (n > 0).then(|| v.iter().rev().take(n).sum::<f64>() / n as f64)
        };
        let band = limits.deadband;
        let heat_diff = mean(&self.heats).map(|p| heat - p);
        let emotion = match heat_diff {
            Some(d) if d > band => Trajectory::Worsening,
            Some(d) if d < -band => Trajectory::Improving,
            _ => Trajectory::Stable,
        };
        let sentiment = match mean(&self.valences).map(|p| valence - p) {
            Some(d) if d > band => Trajectory::Improving,
            Some(d) if d < -band => Trajectory::Worsening,
            _ => Trajectory::Stable,
        };

        // Did the agent's empathy land?
        let empathy_landed = if self.pending_empathy {
            if !backfire.is_empty() || heat_diff.is_some_and(|d| d > band) {
                Some(false)
            } else if calmed || heat_diff.is_some_and(|d| d < -band) {
                Some(true)
            } else {
                None
            }
        } else {
            None
        };

        // --- commit the new state (nothing below can fail) --------------------------------
        let st = &mut self.state;
        st.turns += 1;
        st.customer_turns += 1;
        st.heat = heat;
        st.emotion = emotion;
        st.sentiment = sentiment;
        st.empathy_landed = empathy_landed;
        if repeated {
            st.repetitions += 1;
        }
        let mut adaptations = Vec::new();
        let backfired_now = empathy_landed == Some(false) || !backfire.is_empty();
        if backfired_now {
            self.backfires += 1;
            st.action_mode = true;
        } else if st.action_mode && calmed && heat < 0.35 {
            st.action_mode = false;
            adaptations.push("calmed_down".to_string());
        }
        let supervisor_request = supervisor || assessment.situation.has(Flag::SupervisorRequested);
        if supervisor_request {
            st.escalation.supervisor_requested = true;
        }
        if heat >= limits.supervisor_heat {
            self.high_heat_streak += 1;
        } else {
            self.high_heat_streak = 0;
        }
        let reason = if st.escalation.supervisor_requested {
            Some("supervisor_requested")
        } else if self.high_heat_streak >= 2 {
            Some("sustained_anger")
        } else if st.repetitions >= 3 {
            Some("repeated_three_times")
        } else if self.backfires >= 2 {
            Some("empathy_backfired_twice")
        } else {
            None
        };
        st.escalation.offer_supervisor = reason.is_some();
        st.escalation.reason = reason.map(str::to_string);

        // Waiting.
        if let Some(t) = timestamp {
            if self.first_unanswered_ts.is_none() {
                self.first_unanswered_ts = Some(t);
            }
            self.last_ts = Some(t);
        }
        st.customer_waiting_seconds = match (self.first_unanswered_ts, timestamp) {
            (Some(f), Some(t)) => t.saturating_sub(f),
            _ => 0,
        };
        let wait_limit = wait_limit(limits, self.ctx.channel);
        let long_wait = st.customer_waiting_seconds >= wait_limit;

        // The recommendation: the classifier's, kept stable, then adapted.
        let cues = TurnCues {
            backfired_now,
            supervisor_request,
            repeated,
            long_wait,
            heat_diff,
            band,
        };
        let rec = self.adapt(&assessment, cues, &mut adaptations);
        let st = &mut self.state;
        st.recommendation = Some(rec);
        st.adaptations = adaptations;

        // Bounded memory.
        push_capped(&mut self.heats, heat, limits.max_customer_turns);
        push_capped(&mut self.valences, valence, limits.max_customer_turns);
        push_capped(&mut self.customer_words, words, limits.max_customer_turns);
        self.pending_empathy = false;
        self.agent_since_customer = false;
        let index = self.state.turns - 1;
        self.remember(TurnSummary {
            index,
            speaker: Speaker::Customer,
            timestamp,
            heat: Some(heat),
            score: None,
        });
        self.last_assessment = Some(assessment.clone());
        Ok(TurnView {
            index,
            speaker: Speaker::Customer,
            timestamp,
            assessment: Some(assessment),
            signals: Some(TurnSignals {
                heat,
                valence,
                repeated,
                backfire,
                calm: calmed,
                supervisor_request,
            }),
            review: None,
            waited_seconds: None,
            state: self.state.clone(),
        })
    }

    /// Pushes the agent's reply; it is reviewed against the adapted recommendation and the
    /// lines already sent.
    ///
    /// Errors: [`Error::EmptyInput`], [`Error::InputTooLarge`], [`Error::InvalidTurn`] when the
    /// timestamp goes backwards. A failed push changes nothing.
    pub fn push_agent(&mut self, text: &str, timestamp: Option<u64>) -> Result<TurnView, Error> {
        self.check_ts(timestamp)?;
        self.engine.check_draft(text)?;
        let lex = review::lexicon()?;
        let waited = match (self.first_unanswered_ts, timestamp) {
            (Some(f), Some(t)) => Some(t.saturating_sub(f)),
            _ => None,
        };
        let limit = wait_limit(&lex.limits, self.ctx.channel);
        let extras = Extras {
            history: Some(&self.agent_lines),
            long_wait: waited.filter(|&w| w >= limit),
            supervisor_requested: self.state.escalation.supervisor_requested,
            empathy_backfired: self.state.action_mode,
        };
        // The customer restating the issue makes this a repeat contact for the review too.
        let mut ctx = self.ctx.clone();
        ctx.prior_contacts = ctx.prior_contacts.saturating_add(self.state.repetitions);
        let review = match (&self.last_assessment, &self.state.recommendation) {
            (Some(a), Some(rec)) => {
                let mut t = Target::of(a);
                if t.category == crate::OTHER {
                    if let Some(topic) = &self.topic {
                        t.category = topic;
                    }
                }
                t.approach = rec.approach;
                t.empathy = rec.empathy;
                t.opening = &rec.opening;
                review::review(self.engine.inner(), &t, text, &ctx, &extras)?
            }
            _ => review::review(
                self.engine.inner(),
                &Target::greeting(),
                text,
                &ctx,
                &extras,
            )?,
        };

        // --- commit -----------------------------------------------------------------------
        let doc = Doc::new(text);
        for &(a, b) in &doc.sentences {
            let norm = normalize_line(text.get(a..b).unwrap_or(""));
            if norm.len() <= MAX_LINE_BYTES
                && norm.split(' ').count() >= 4
                && !self.agent_lines.contains(&norm)
            {
                push_capped(&mut self.agent_lines, norm, lex.limits.max_agent_lines);
            }
        }
        if let Some(t) = timestamp {
            self.last_ts = Some(t);
        }
        if let Some(w) = waited {
            self.state.longest_wait_seconds = self.state.longest_wait_seconds.max(w);
        }
        self.first_unanswered_ts = None;
        self.state.customer_waiting_seconds = 0;
        self.pending_empathy = review.empathy.emotional_reactions.level > 0
            || review.empathy.interpretations.level > 0
            || !review.signals.acknowledgement.is_empty();
        self.agent_since_customer = true;
        self.state.turns += 1;
        self.state.agent_turns += 1;
        self.state.empathy_landed = None;
        let index = self.state.turns - 1;
        self.remember(TurnSummary {
            index,
            speaker: Speaker::Agent,
            timestamp,
            heat: None,
            score: Some(review.score),
        });
        Ok(TurnView {
            index,
            speaker: Speaker::Agent,
            timestamp,
            assessment: None,
            signals: None,
            review: Some(review),
            waited_seconds: waited,
            state: self.state.clone(),
        })
    }
}

/// Customer cue spans kept per turn.
const MAX_CUE_SPANS: usize = 8;

/// Longer "words" (a run of letters with no break) are not remembered for repetition.
const MAX_WORD_BYTES: usize = 64;

/// Longer agent lines are not remembered for the repeated-line check (a line is a sentence).
const MAX_LINE_BYTES: usize = 1000;

fn push_capped<T>(v: &mut VecDeque<T>, x: T, cap: usize) {
    while v.len() >= cap.max(1) {
        v.pop_front();
    }
    v.push_back(x);
}

fn wait_limit(l: &review::ConversationLimits, channel: Option<Channel>) -> u64 {
    match channel {
        Some(Channel::Chat) => l.chat_wait,
        Some(Channel::Sms) => l.sms_wait,
        Some(Channel::Email) => l.email_wait,
        Some(Channel::Social) => l.social_wait,
        _ => l.default_wait,
    }
}
