//! The response recommender: from a [`Situation`] and a [`Context`] to a [`Recommendation`].
//!
//! It reasons from the category's attributes in the playbook (money at risk, security,
//! safety, company at fault, default urgency and approach), never from the category's name,
//! so a company's own categories get the same treatment.

use crate::resources::Inner;
use crate::respond::playbook::sentences::{fill_named, fill_placeholders};
use crate::respond::playbook::{CategorySpec, CategoryVariant, Condition, Playbook, StepIndex};
use crate::types::Hints;
use crate::types::*;
use crate::{Context, Relationship};
use crate::{Lines, Rationale};
use std::borrow::Cow;

/// What the classifier read from the text travels with the situation ([`Hints`]), so a
/// classified situation gets the same recommendation here as from `assess`.
pub(crate) fn recommend(inner: &Inner, s: &Situation, ctx: &Context) -> Recommendation {
    let none = Hints::default();
    let hints = Hints::for_situation(s).unwrap_or(&none);
    let pb = &inner.playbook;
    let fallback;
    let spec: &CategorySpec = match pb.category(&s.category.label) {
        Some(c) => c,
        None => {
            // A situation edited by hand may name a category this playbook lacks.
            fallback = pb
                .category(crate::OTHER)
                .cloned()
                .unwrap_or_else(|| Playbook::minimal().categories.remove(0));
            &fallback
        }
    };
    let abstained = s.has(Flag::LowConfidence);
    let e = s.emotion.label;
    let intensity = s.emotion.intensity;
    let th = &pb.thresholds;
    let negative = matches!(
        e,
        Emotion::Anger | Emotion::Frustration | Emotion::Anxiety | Emotion::Sadness
    );
    let at_stake =
        !abstained && (spec.money_at_risk || spec.security || spec.safety) || s.has(Flag::Safety);
    // Money or security matter most when they are at risk *now*: a locked account is not a
    // drained one. Critical urgency (a stranded traveller, a deadline) calls for action too.
    let urgent_stake = at_stake && s.urgency == Urgency::Critical
        || at_stake && s.urgency == Urgency::High && (spec.money_at_risk || s.has(Flag::Safety))
        || s.urgency == Urgency::Critical && !abstained && spec.company_at_fault;
    let expensive_defect = !abstained && spec.company_at_fault && s.has(Flag::HighValueItem);
    let threats = s.has(Flag::LegalThreat)
        || s.has(Flag::RegulatorThreat)
        || s.has(Flag::SocialMediaThreat)
        || s.has(Flag::ChargebackThreat);
    let vulnerable = s.has(Flag::Vulnerable);
    let repeat = s.has(Flag::RepeatContact);
    let data_driven = s.style == Style::DataDriven;
    // Room for the usual three to six sentences without regrowing.
    let mut why: Vec<String> = Vec::with_capacity(6);
    let label = &*s.category.label;
    let rat = &pb.rationale;
    // A rationale sentence of the playbook with its placeholders filled; an empty one is left out.
    let say = |why: &mut Vec<String>, t: &str, values: &[(&str, &str)]| {
        if !t.is_empty() {
            why.push(fill_named(t, values));
        }
    };
    let stake = stake_words(rat, spec, s);
    // Whether the approach's own sentence already speaks of a data-driven customer.
    let mut said_data_driven = false;

    // 1. The approach.
    let hot_anger = e == Emotion::Anger && intensity >= th.deescalate_intensity;
    let approach = if s.has(Flag::Abuse) {
        say(&mut why, &rat.abuse, &[]);
        Approach::Deescalate
    } else if urgent_stake && !vulnerable && s.stance != Stance::Leaving {
        say(
            &mut why,
            &rat.urgent_stake,
            &[("category", label), ("stake", stake)],
        );
        if hot_anger {
            say(&mut why, &rat.anger_is_the_problem, &[]);
        }
        Approach::ResolveFirst
    } else if hot_anger
        || (threats && negative)
        || (s.has(Flag::SupervisorRequested) && negative)
        || (s.has(Flag::Shouting) && e == Emotion::Anger)
    {
        let t = match (hot_anger, threats, s.has(Flag::SupervisorRequested)) {
            (true, true, _) => &rat.deescalate_high_threats,
            (true, false, true) => &rat.deescalate_high_supervisor,
            (true, false, false) => &rat.deescalate_high,
            (false, true, _) => &rat.deescalate_rising_threats,
            (false, false, true) => &rat.deescalate_rising_supervisor,
            (false, false, false) => &rat.deescalate_rising,
        };
        let mut num = NumBuf::new();
        let intensity = num.fmt2(intensity);
        say(
            &mut why,
            t,
            &[("emotion", e.as_str()), ("intensity", &intensity)],
        );
        Approach::Deescalate
    } else if s.stance == Stance::Leaving && !vulnerable {
        say(&mut why, &rat.leaving, &[]);
        Approach::Retain
    } else if s.stance == Stance::GivingFeedback && e == Emotion::Positive {
        say(&mut why, &rat.praise, &[]);
        Approach::Appreciate
    } else if s.stance == Stance::Venting
        && !urgent_stake
        // Money, security or safety at stake comes first even when the customer vents
        // (an account opened in their name, told with sarcasm): secure it, then listen.
        && !(at_stake && (s.has(Flag::MoneyAtRisk) || s.has(Flag::Security) || s.has(Flag::Safety)))
        // Hurt rather than only annoyed: listen. A gripe about a fault gets the fix, with
        // an acknowledgement first.
        && (abstained
            || vulnerable
            || s.emotion.scores.of(Emotion::Sadness) >= 0.3
            || !spec.company_at_fault)
    {
        say(&mut why, &rat.venting, &[]);
        Approach::ListenAndValidate
    } else if expensive_defect || urgent_stake && !vulnerable {
        if expensive_defect {
            say(&mut why, &rat.expensive_defect, &[]);
        } else {
            say(
                &mut why,
                &rat.stake,
                &[("category", label), ("stake", stake)],
            );
        }
        Approach::ResolveFirst
    } else if vulnerable {
        say(&mut why, &rat.vulnerable, &[]);
        if s.stance == Stance::Venting {
            Approach::ListenAndValidate
        } else {
            Approach::EmpathizeThenResolve
        }
    } else if s.stance == Stance::SeekingInformation && (!negative || intensity < 0.4) {
        say(&mut why, &rat.calm_question, &[]);
        Approach::InformConcisely
    } else if e == Emotion::Positive && !abstained && spec.default_approach == Approach::Appreciate
    {
        say(&mut why, &rat.positive_feedback, &[]);
        Approach::Appreciate
    } else {
        let mut a = if abstained {
            if negative {
                Approach::EmpathizeThenResolve
            } else if e == Emotion::Positive {
                Approach::Appreciate
            } else {
                Approach::InformConcisely
            }
        } else {
            spec.default_approach
        };
        if a == Approach::InformConcisely && negative && intensity >= 0.4 {
            a = Approach::EmpathizeThenResolve;
        }
        if a == Approach::Retain && s.stance != Stance::Leaving {
            a = if negative {
                Approach::EmpathizeThenResolve
            } else {
                Approach::InformConcisely
            };
        }
        if a == Approach::EmpathizeThenResolve
            && s.stance == Stance::SeekingResolution
            && e == Emotion::Anxiety
            && !abstained
        {
            say(&mut why, &rat.worried_customer, &[]);
            a = Approach::ResolveFirst;
        } else if a == Approach::EmpathizeThenResolve
            && data_driven
            && intensity < th.full_empathy_intensity
        {
            say(&mut why, &rat.data_driven_first, &[]);
            said_data_driven = true;
            a = Approach::ResolveFirst;
        } else if abstained {
            say(&mut why, &rat.weak_evidence, &[]);
        } else {
            say(
                &mut why,
                &rat.default_approach,
                &[("category", label), ("approach", a.as_str())],
            );
        }
        a
    };

    // The approach head read the wording itself; when it is sure, it knows better than the
    // readings (it learned from whole messages what the expert calls; the readings each lose
    // a little). Abuse is de-escalated first whatever the wording says.
    let approach = match hints.approach {
        Some((a, p))
            if a != approach && f64::from(p) >= th.model_approach && !s.has(Flag::Abuse) =>
        {
            why.clear();
            said_data_driven = false;
            let mut num = NumBuf::new();
            let p = num.fmt2(p);
            say(&mut why, wording_reason(rat, a), &[("probability", &p)]);
            a
        }
        _ => approach,
    };

    // 2. Empathy up front.
    let approach_ix = pb.approaches.iter().position(|a| a.approach == approach);
    let aspec = approach_ix.and_then(|ai| pb.approaches.get(ai));
    let mut empathy = aspec.map_or(Empathy::Brief, |a| a.empathy);
    match approach {
        Approach::ResolveFirst | Approach::Deescalate => {
            empathy = if vulnerable {
                Empathy::Full
            } else {
                Empathy::Brief
            };
        }
        Approach::EmpathizeThenResolve => {
            // A one-line gripe gets one line; sustained venting, grief, hardship and fear
            // get the full acknowledgement.
            let heavy = matches!(e, Emotion::Sadness | Emotion::Anxiety)
                && intensity >= th.full_empathy_intensity;
            if vulnerable
                || heavy
                || s.stance == Stance::Venting && intensity >= th.full_empathy_intensity
            {
                empathy = Empathy::Full;
            } else if data_driven && !vulnerable {
                empathy = Empathy::Brief;
            }
        }
        Approach::InformConcisely => {
            if repeat || negative || e == Emotion::Confusion {
                empathy = Empathy::Brief;
            }
        }
        Approach::ListenAndValidate => {
            // Venting needs listening, but a mild gripe said to the world reads a paragraph
            // of sympathy as overdone: full only for grief, hardship, fear or strong feeling.
            empathy = if vulnerable || intensity >= th.full_empathy_intensity {
                Empathy::Full
            } else {
                Empathy::Brief
            };
        }
        Approach::Appreciate | Approach::Retain => {}
    }
    if let Some((em, p)) = hints.empathy {
        // Within what the approach means (listening or de-escalating with no acknowledgement
        // is not listening; a paragraph of sympathy before a plain answer is not concise); a
        // vulnerable customer always hears an acknowledgement.
        let fits = match approach {
            Approach::Appreciate | Approach::InformConcisely | Approach::Retain => {
                em != Empathy::Full
            }
            Approach::ResolveFirst => em != Empathy::Full || vulnerable,
            Approach::EmpathizeThenResolve | Approach::ListenAndValidate | Approach::Deescalate => {
                em != Empathy::None
            }
        };
        if f64::from(p) >= th.model_empathy && fits && !(vulnerable && em == Empathy::None) {
            empathy = em;
        }
    }
    if vulnerable {
        say(&mut why, &rat.vulnerable_tone, &[]);
    }
    if data_driven && !said_data_driven {
        say(&mut why, &rat.data_driven, &[]);
    }
    if repeat {
        match ctx.prior_contacts {
            0 => say(&mut why, &rat.repeat_contact, &[]),
            n => {
                let mut num = NumBuf::new();
                let n = num.int(n);
                say(
                    &mut why,
                    &rat.repeat_contact_counted,
                    &[("prior_contacts", &n)],
                );
            }
        }
    }
    if ctx.policy_conflict {
        say(&mut why, &rat.policy_conflict, &[]);
    }

    // 3. Tone.
    let mut tone: Vec<String> = aspec.map(|a| a.tone.clone()).unwrap_or_default();
    let mut add_tone = |t: &str| {
        if !tone.iter().any(|x| x == t) {
            tone.push(t.to_string());
        }
    };
    if vulnerable {
        add_tone("gentle");
        add_tone("patient");
    }
    if data_driven {
        add_tone("precise");
    }
    if repeat {
        add_tone("accountable");
    }
    if e == Emotion::Anger {
        add_tone("calm");
    }

    // 4. Opening line.
    let seed = if hints.of != 0 {
        hints.seed
    } else {
        seed_of(s)
    };
    let channel = ctx.channel;
    // What the message establishes, for openings and steps that require or avoid it.
    let holds = |c: Condition| condition_holds(s, hints, c);
    let words = Words::for_message(pb, spec, s, hints, channel);
    let fill = |t: &str| fill_template(t, &words, ctx, hints, &pb.lines);
    let mut opening = aspec.map_or_else(String::new, |a| {
        // An opening that quotes the customer's amount or reference needs exactly one of
        // them, and a public reply never repeats account details. (Which openings quote is
        // found when the playbook loads.)
        let quoting: &[(bool, bool)] = approach_ix
            .and_then(|ai| inner.compiled.quotes.get(ai))
            .map_or(&[], Vec::as_slice);
        let quotes = |i: usize| quoting.get(i).is_some_and(|&(m, r)| m || r);
        let quotable = |i: usize| {
            let (m, r) = quoting.get(i).copied().unwrap_or_default();
            channel != Some(Channel::Social)
                && (!m || hints.amount.is_some())
                && (!r || hints.reference.is_some())
        };
        let fits = |i: usize, o: &crate::OpeningSpec| {
            o.requires.is_none_or(holds)
                && !o.unless.is_some_and(holds)
                && (!quotes(i) || quotable(i))
        };
        // An opening written for what this message says comes first, then one that names
        // the customer's own specifics.
        let required: Vec<&str> = a
            .openings
            .iter()
            .enumerate()
            .filter(|&(i, o)| o.requires.is_some() && fits(i, o))
            .map(|(_, o)| o.text.as_str())
            .collect();
        let specific: Vec<&str> = a
            .openings
            .iter()
            .enumerate()
            .filter(|&(i, o)| o.requires.is_none() && quotes(i) && fits(i, o))
            .map(|(_, o)| o.text.as_str())
            .collect();
        let pick = |f: &dyn Fn(&crate::OpeningSpec) -> bool| -> Vec<&str> {
            a.openings
                .iter()
                .enumerate()
                .filter(|&(i, o)| o.requires.is_none() && !quotes(i) && fits(i, o) && f(o))
                .map(|(_, o)| o.text.as_str())
                .collect()
        };
        // On a repeat contact the repeat line is the acknowledgement: no second one.
        let e = if repeat { None } else { Some(e) };
        let tiers: [Vec<&str>; 6] = [
            required,
            specific,
            pick(&|o| {
                o.emotion.is_some() && o.emotion == e && o.channel.is_some() && o.channel == channel
            }),
            pick(&|o| o.channel.is_some() && o.channel == channel && o.emotion.is_none()),
            pick(&|o| o.emotion.is_some() && o.emotion == e && o.channel.is_none()),
            pick(&|o| o.emotion.is_none() && o.channel.is_none()),
        ];
        // The specific lines and the general ones both stay in play, so the same situation
        // does not always get the same sentence.
        let mut cands: Vec<&str> = tiers
            .iter()
            .find(|t| !t.is_empty())
            .cloned()
            .unwrap_or_default();
        // A line written for what the message says is never diluted with general ones.
        if cands.len() < 2 && tiers[0].is_empty() && tiers[1].is_empty() {
            let extra: Vec<&str> = tiers[5]
                .iter()
                .filter(|t| !cands.contains(t))
                .take(2)
                .copied()
                .collect();
            cands.extend(extra);
        }
        cands
            .get((seed % cands.len().max(1) as u64) as usize)
            .map(|t| fill(t))
            .unwrap_or_default()
    });
    // On a public channel, acting on money, security or access needs the customer's account
    // details: the opening moves the conversation to a private channel instead of acting.
    let social = channel == Some(Channel::Social);
    let private = social
        && approach != Approach::Appreciate
        && !pb.lines.social_private.is_empty()
        && (spec.account_details
            || spec.money_at_risk
            || spec.security
            || s.has(Flag::MoneyAtRisk)
            || s.has(Flag::Security));
    if private {
        let ack = &pb.lines.social_private_ack;
        opening = if approach == Approach::InformConcisely || ack.is_empty() {
            fill(&pb.lines.social_private)
        } else {
            format!("{} {}", fill(ack), fill(&pb.lines.social_private))
        };
    }
    // What the context adds: the supervisor they asked for, what a policy allows, and the
    // repeat contact acknowledged first. A tweet reply keeps to its length: what does not
    // fit is left out, in that order of importance.
    let fits_tweet = |o: &str| {
        !social
            || o.chars().count() + ctx.name().map_or(0, |n| n.chars().count() + 2) <= TWEET_CHARS
    };
    let add = |opening: &mut String, line: &str, before: bool| {
        if line.is_empty() {
            return;
        }
        let line = fill(line);
        let joined = if before {
            format!("{line} {opening}")
        } else {
            format!("{opening} {line}")
        };
        if fits_tweet(&joined) {
            *opening = joined;
        }
    };
    if s.has(Flag::SupervisorRequested) {
        add(&mut opening, &pb.lines.supervisor_opening, false);
    }
    if ctx.policy_conflict {
        add(&mut opening, &pb.lines.policy_opening, false);
    }
    if repeat && approach != Approach::Appreciate {
        add(&mut opening, &pb.lines.repeat_contact, true);
    }
    let opening = personalize(ctx.name(), &capitalize_first(&opening));

    // 5. Steps: templates with their ids first, repeats dropped, then filled.
    let ix = &inner.compiled.steps;
    let mut steps: Vec<(u32, &str)> = Vec::with_capacity(12);
    let ids = |ids: Option<&Vec<u32>>, i: usize| ids.and_then(|v| v.get(i)).copied();
    if let (Some(ai), Some(a)) = (approach_ix, aspec) {
        for (i, t) in a.steps.iter().enumerate() {
            if t.fits(holds) {
                steps.push((ids(ix.approach.get(ai), i).unwrap_or(u32::MAX), t.text()));
            }
        }
    }
    if !abstained || spec.name == crate::OTHER {
        // A fallback category from outside this playbook has no ids: nothing repeats it.
        let ci = inner.compiled.by_name.get(&spec.name).copied();
        let own = ci
            .and_then(|i| pb.categories.get(i))
            .is_some_and(|c| std::ptr::eq(c, spec));
        for (i, t) in spec.steps.iter().enumerate() {
            if !t.fits(holds) {
                continue;
            }
            let id = if own {
                ci.and_then(|c| ids(ix.category.get(c), i))
            } else {
                None
            };
            steps.push((id.unwrap_or(u32::MAX), t.text()));
        }
    }
    let lines = &pb.lines;
    if repeat {
        steps.push((ix.repeat_contact, &lines.repeat_contact_step));
    }
    if vulnerable {
        steps.push((ix.vulnerable, &lines.vulnerable_step));
    }
    if ctx.policy_conflict {
        for (i, t) in lines.policy_steps.iter().enumerate() {
            steps.push((ix.policy.get(i).copied().unwrap_or(u32::MAX), t));
        }
    }
    if s.has(Flag::SupervisorRequested) {
        steps.push((ix.supervisor, &lines.supervisor_step));
    }
    let at_fault = s.has(Flag::CompanyAtFault) || repeat;
    let valued =
        repeat || ctx.relationship == Some(Relationship::HighValue) || s.has(Flag::NegativeHistory);
    if ctx.max_gesture.is_some() && at_fault && valued && approach != Approach::Appreciate {
        steps.push((ix.gesture, &lines.gesture_step));
        say(&mut why, &rat.gesture, &[]);
    }
    if s.churn_risk >= th.churn_alert && approach != Approach::Retain {
        steps.push((ix.churn, &lines.churn_step));
    }
    if channel == Some(Channel::Social) {
        steps.push((ix.social, &lines.social_step));
    }
    // A survey "to confirm the fix landed" fits a fix: not an answered question or thanks.
    if !matches!(approach, Approach::Appreciate | Approach::InformConcisely) {
        let follow = if spec.effortful {
            (ix.ces, pb.follow_up.ces.as_str())
        } else {
            (ix.csat, pb.follow_up.csat.as_str())
        };
        if !follow.1.is_empty() {
            steps.push(follow);
        }
    }
    let steps = distinct_steps(ix, steps).map(fill).collect();

    // 6. What to avoid.
    let mut avoid: Vec<String> = aspec.map(|a| a.avoid.clone()).unwrap_or_default();
    if data_driven {
        avoid.push(pb.lines.data_driven_avoid.clone());
    }
    if vulnerable {
        avoid.push(pb.lines.vulnerable_avoid.clone());
    }
    if repeat {
        avoid.push(pb.lines.repeat_contact_avoid.clone());
    }
    if ctx.policy_conflict {
        avoid.push(pb.lines.policy_avoid.clone());
    }

    // 7. Channel advice.
    let channel_tips = channel
        .and_then(|c| pb.channel(c))
        .map(|c| c.tips.clone())
        .unwrap_or_default();

    Recommendation {
        approach,
        empathy,
        tone,
        opening,
        steps,
        avoid,
        channel_tips,
        rationale: why,
    }
}

/// A number written on the stack for a rationale placeholder: the sentence is filled into
/// its own `String` anyway, so a `format!` for the number would be a second allocation.
struct NumBuf {
    buf: [u8; 40],
    len: usize,
}

impl std::fmt::Write for NumBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl NumBuf {
    fn new() -> NumBuf {
        NumBuf {
            buf: [0; 40],
            len: 0,
        }
    }

    /// `x` as `format!("{x:.2}")` writes it.
    fn fmt2(&mut self, x: impl std::fmt::Display) -> Cow<'_, str> {
        self.put(format_args!("{x:.2}"))
    }

    /// `n` as `n.to_string()` writes it.
    fn int(&mut self, n: impl std::fmt::Display) -> Cow<'_, str> {
        self.put(format_args!("{n}"))
    }

    fn put(&mut self, args: std::fmt::Arguments<'_>) -> Cow<'_, str> {
        use std::fmt::Write as _;
        self.len = 0;
        // The values quoted (probabilities and intensities 0..1, a count of contacts) fit;
        // a huge one from a hand-edited situation takes the allocating path, same text.
        if self.write_fmt(args).is_err() {
            return Cow::Owned(args.to_string());
        }
        match std::str::from_utf8(&self.buf[..self.len]) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(args.to_string()),
        }
    }
}

/// The longest reply a tweet can carry, in characters.
const TWEET_CHARS: usize = 280;

/// The steps without repeats: a later step that says what an earlier one already says (the
/// approach's "Answer in the first sentence" and the category's "Answer the question
/// directly in the first sentence") is dropped; the first, more general one stays.
fn distinct_steps<'a>(
    ix: &'a StepIndex,
    steps: Vec<(u32, &'a str)>,
) -> impl Iterator<Item = &'a str> + 'a {
    let mut kept: Vec<u32> = Vec::with_capacity(steps.len());
    steps.into_iter().filter_map(move |(id, t)| {
        if kept.iter().any(|&k| ix.repeats(k, id)) {
            return None;
        }
        kept.push(id);
        Some(t)
    })
}

fn stake_words<'a>(rat: &'a Rationale, spec: &CategorySpec, s: &Situation) -> &'a str {
    match (
        spec.money_at_risk,
        spec.security,
        spec.safety || s.has(Flag::Safety),
    ) {
        (_, _, true) => &rat.stake_safety,
        (true, true, _) => &rat.stake_money_and_security,
        (true, false, _) => &rat.stake_money,
        (false, true, _) => &rat.stake_security,
        _ => &rat.stake_other,
    }
}

/// Whether the message meets `c`: what openings, steps and category variants require or
/// avoid. Bereavement and hardship count only with vulnerability cues.
fn condition_holds(s: &Situation, hints: &Hints, c: Condition) -> bool {
    match c {
        Condition::RepeatContact => s.has(Flag::RepeatContact),
        Condition::Bereavement | Condition::Hardship => {
            s.has(Flag::Vulnerable) && hints.said.has(c)
        }
        Condition::ReasonGiven | Condition::Travel | Condition::ServiceFault => hints.said.has(c),
    }
}

/// The issue, action and time frame a recommendation's templates say.
pub(crate) struct Words<'a> {
    pub(crate) issue: &'a str,
    pub(crate) action: &'a str,
    pub(crate) timeframe: &'a str,
}

impl<'a> Words<'a> {
    /// The category's words for this message: those of its first variant whose condition
    /// holds, and the channel's time frame when the playbook gives one.
    pub(crate) fn for_message(
        pb: &'a Playbook,
        spec: &'a CategorySpec,
        s: &Situation,
        hints: &Hints,
        channel: Option<Channel>,
    ) -> Words<'a> {
        let variant = spec
            .variants
            .iter()
            .find(|v| condition_holds(s, hints, v.requires));
        let mut words = Words::of(spec, variant);
        if let Some(c) = channel.and_then(|c| pb.channel(c)) {
            if !c.timeframe.trim().is_empty() {
                words.timeframe = &c.timeframe;
            }
        }
        words
    }

    fn of(spec: &'a CategorySpec, variant: Option<&'a CategoryVariant>) -> Words<'a> {
        let pick = |own: &'a String, v: Option<&'a String>| {
            v.filter(|x| !x.is_empty()).unwrap_or(own).as_str()
        };
        Words {
            issue: pick(&spec.issue, variant.map(|v| &v.issue)),
            action: pick(&spec.action, variant.map(|v| &v.action)),
            timeframe: pick(&spec.timeframe, variant.map(|v| &v.timeframe)),
        }
    }
}

fn fill_template(t: &str, spec: &Words<'_>, ctx: &Context, hints: &Hints, lines: &Lines) -> String {
    // Validated playbooks hold only the names below; anything else is kept verbatim.
    fill_placeholders(t, 64, |name, out| {
        match name {
            "issue" => out.push_str(non_empty(spec.issue, &lines.issue_fallback)),
            "action" => out.push_str(non_empty(spec.action, &lines.action_fallback)),
            "timeframe" => out.push_str(non_empty(spec.timeframe, &lines.timeframe_fallback)),
            // Offered only when known (see the openings); elsewhere a neutral word.
            "amount" => out.push_str(hints.amount.as_deref().unwrap_or("amount")),
            "reference" => out.push_str(hints.reference.as_deref().unwrap_or("your reference")),
            "gesture" => out.push_str(
                ctx.max_gesture
                    .as_deref()
                    .unwrap_or(lines.gesture_fallback.as_str()),
            ),
            "alternatives" => match ctx.allowed_alternatives.as_slice() {
                [] => out.push_str(&lines.alternatives_fallback),
                [init @ .., last] => {
                    for (i, a) in init.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        out.push_str(a);
                    }
                    if !init.is_empty() {
                        out.push(' ');
                        out.push_str(&lines.alternatives_or);
                        out.push(' ');
                    }
                    out.push_str(last);
                }
            },
            _ => return false,
        }
        true
    })
}

fn non_empty<'a>(s: &'a str, or: &'a str) -> &'a str {
    if s.trim().is_empty() {
        or
    } else {
        s
    }
}

fn capitalize_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_lowercase() => f.to_uppercase().chain(c).collect(),
        _ => s.to_string(),
    }
}

/// "Maria, I'm on it…": the name goes in front; the first letter is lowered unless it is
/// the pronoun "I" or starts a proper noun we cannot know about (kept as is then).
fn personalize(name: Option<&str>, line: &str) -> String {
    let Some(name) = name else {
        return line.to_string();
    };
    let starts_with_i =
        line.starts_with("I ") || line.starts_with("I'") || line.starts_with("I\u{2019}");
    let mut chars = line.chars();
    let rest = match chars.next() {
        Some(f) if !starts_with_i && f.is_uppercase() => f.to_lowercase().chain(chars).collect(),
        _ => line.to_string(),
    };
    format!("{name}, {rest}")
}

/// Why an approach fits, when the wording decided it.
fn wording_reason(rat: &Rationale, a: Approach) -> &str {
    match a {
        Approach::ResolveFirst => &rat.wording_resolve_first,
        Approach::EmpathizeThenResolve => &rat.wording_empathize_then_resolve,
        Approach::ListenAndValidate => &rat.wording_listen_and_validate,
        Approach::Deescalate => &rat.wording_deescalate,
        Approach::InformConcisely => &rat.wording_inform_concisely,
        Approach::Appreciate => &rat.wording_appreciate,
        Approach::Retain => &rat.wording_retain,
    }
}

/// A deterministic seed from the readings, for a situation that carries no text hints.
fn seed_of(s: &Situation) -> u64 {
    use crate::text::{fnv1a, FNV_START};
    let h = fnv1a(FNV_START, s.category.label.as_bytes());
    let h = fnv1a(h, s.emotion.label.as_str().as_bytes());
    fnv1a(h, s.stance.as_str().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personalize_keeps_pronoun_i() {
        assert_eq!(
            personalize(Some("Maria"), "I'm on it."),
            "Maria, I'm on it."
        );
        assert_eq!(
            personalize(Some("Maria"), "Thanks for this."),
            "Maria, thanks for this."
        );
        assert_eq!(personalize(None, "Thanks."), "Thanks.");
    }

    #[test]
    fn fill_template_takes_the_lines_fallbacks() {
        let cat = CategorySpec::new("x", Urgency::Normal, Approach::InformConcisely);
        let spec = Words::of(&cat, None);
        let mut lines = Lines::default();
        let hints = Hints::default();
        let mut ctx = Context::default();
        let t = "{issue}/{action}/{timeframe}/{gesture}/{alternatives}";
        assert_eq!(
            fill_template(t, &spec, &ctx, &hints, &lines),
            "this/I'm looking into this now/today/what policy allows/the options we do have"
        );
        lines.alternatives_or = "ou".into();
        ctx.allowed_alternatives = vec!["a".into(), "b".into(), "c".into()];
        assert_eq!(
            fill_template("{alternatives}", &spec, &ctx, &hints, &lines),
            "a, b ou c"
        );
        // An unclosed brace (never in a validated playbook) is kept as written.
        assert_eq!(
            fill_template("see {issue", &spec, &ctx, &hints, &lines),
            "see {issue"
        );
    }

    #[test]
    fn a_variant_replaces_only_the_words_it_sets() {
        let mut cat = CategorySpec::new("x", Urgency::Normal, Approach::InformConcisely);
        cat.issue = "your delivery".into();
        cat.action = "I'm tracking your order right now".into();
        cat.timeframe = "within the hour".into();
        let mut v = CategoryVariant::new(Condition::Travel);
        v.action = "I'm checking your booking right now".into();
        let w = Words::of(&cat, Some(&v));
        assert_eq!(
            (w.issue, w.action, w.timeframe),
            (
                "your delivery",
                "I'm checking your booking right now",
                "within the hour"
            )
        );
    }
}
#[cfg(test)]
mod opening_tests {
    use crate::{Approach, Context, Engine};

    fn assess(t: &str) -> crate::Recommendation {
        Engine::default()
            .assess(t, &Context::default())
            .expect("assess")
            .recommendation
    }

    #[test]
    fn recommend_on_a_classified_situation_answers_as_assess() {
        let e = Engine::default();
        let ctx = Context::default();
        for t in [
            "My mother died last week and I need to cancel her phone contract",
            "I'm leaving, your price went up 40% and Vodafone offered me half",
            "Someone used my card abroad and took $900 from my account, please block it now!",
            "Can you tell me if you ship to Canada?",
            "Thank you so much, the agent yesterday was brilliant",
            "Third time calling about this. Nobody ever calls back.",
            "Great, just great. Third time my internet has dropped today",
            "I lost my job and can't pay my bill, I'm scared they'll cut off my electricity",
            "@SkyjetAir my flight got cancelled and nobody at the gate can help",
            "Internet has been down since 8am and I work from home",
        ] {
            let a = e.assess(t, &ctx).expect("assess");
            let c = e.classify(t, &ctx).expect("classify");
            assert_eq!(c.situation, a.situation, "{t}");
            let r = e.recommend(&c.situation, &ctx).expect("recommend");
            assert_eq!(r, a.recommendation, "{t}");
        }
    }

    #[test]
    fn an_edited_situation_is_recommended_from_its_readings() {
        let e = Engine::default();
        let ctx = Context::default();
        let t = "Thank you so much, the agent yesterday was brilliant";
        let mut s = e.classify(t, &ctx).expect("classify").situation;
        assert_eq!(
            e.recommend(&s, &ctx).expect("r").approach,
            Approach::Appreciate
        );
        // A supervisor re-reads it as a card being drained right now: the wording's hints
        // (praise) no longer apply.
        s.category.label = "fraud_security".into();
        s.emotion.label = crate::Emotion::Anxiety;
        s.stance = crate::Stance::SeekingResolution;
        s.urgency = crate::Urgency::Critical;
        assert_eq!(
            e.recommend(&s, &ctx).expect("r").approach,
            Approach::ResolveFirst
        );
        // A situation read back from JSON has no hints and is recommended for all the same.
        let json = serde_json::to_string(&s).expect("json");
        let back: crate::Situation = serde_json::from_str(&json).expect("back");
        assert_eq!(back, s);
        assert_eq!(
            e.recommend(&back, &ctx).expect("r").approach,
            Approach::ResolveFirst
        );
    }

    #[test]
    fn hardship_is_acknowledged_not_the_bill() {
        let r = assess(
            "I lost my job and can't pay my bill, I'm scared they'll cut off my electricity",
        );
        assert!(
            !r.opening.contains("charge on your bill") && !r.opening.contains("frustrating"),
            "{}",
            r.opening
        );
        assert!(
            r.opening.contains("hard") || r.opening.contains("tough") || r.opening.contains("easy"),
            "{}",
            r.opening
        );
        // Without vulnerability, "can't pay" alone (a card declined) is no hardship.
        let r = assess("My card says it can't pay at checkout, error 05");
        assert!(!r.opening.contains("so hard right now"), "{}", r.opening);
    }

    #[test]
    fn openings_quote_the_one_amount_or_reference_and_never_in_public() {
        let e = Engine::default();
        let chat = Context::builder()
            .channel(crate::Channel::Chat)
            .build()
            .expect("ctx");
        let social = Context::builder()
            .channel(crate::Channel::Social)
            .build()
            .expect("ctx");
        let t = "Someone took $900 from my account overnight, I didn't make this payment, block my card now!";
        let r = e.assess(t, &chat).expect("assess").recommendation;
        assert_eq!(r.approach, Approach::ResolveFirst);
        assert!(r.opening.contains("$900"), "{}", r.opening);
        let r = e.assess(t, &social).expect("assess").recommendation;
        assert!(!r.opening.contains("$900"), "{}", r.opening);
        // Two sums: quoting one could be the wrong one.
        let t = "Someone took $900 and then $45 from my account overnight, block my card now!";
        let r = e.assess(t, &chat).expect("assess").recommendation;
        assert!(!r.opening.contains('$'), "{}", r.opening);
        // A phone or card number is never a reference to repeat.
        for t in [
            "My parcel still hasn't come, call me on 07700900123, it's urgent",
            "Card 4111111111111111 was charged twice, refund it now",
        ] {
            let r = e.assess(t, &chat).expect("assess").recommendation;
            assert!(
                !r.opening.contains("0770") && !r.opening.contains("4111"),
                "{}",
                r.opening
            );
        }
    }

    #[test]
    fn bereavement_gets_condolence() {
        let r = assess("My mother died last week and I need to cancel her phone contract");
        assert!(
            r.opening.starts_with("I'm so sorry for your loss."),
            "{}",
            r.opening
        );
    }

    #[test]
    fn leaving_with_a_reason_is_not_asked_why() {
        let r = assess("I'm leaving, your price went up 40% and Vodafone offered me half");
        assert_eq!(r.approach, Approach::Retain);
        assert!(!r.opening.contains('?'), "{}", r.opening);
        assert!(
            !r.steps.iter().any(|s| s.contains("what is behind")),
            "{:?}",
            r.steps
        );
        // Without a reason the openings that ask stay in play: some of these get one.
        let openings: Vec<String> = [
            "I want to cancel my broadband, I'm leaving",
            "Please close my account, I'm switching",
            "I'd like to cancel my subscription",
            "Cancel my contract please, I'm done",
            "I want to leave, how do I cancel",
        ]
        .iter()
        .map(|t| assess(t))
        .filter(|r| r.approach == Approach::Retain)
        .map(|r| r.opening)
        .collect();
        assert!(
            openings.iter().any(|o| o.contains('?')),
            "without a reason an opening may ask: {openings:?}"
        );
    }

    #[test]
    fn steps_have_no_repeats_and_no_fix_survey_for_questions_or_thanks() {
        for t in [
            "Can you tell me if you ship to Canada?",
            "Thank you so much, the agent yesterday was brilliant",
        ] {
            let r = assess(t);
            assert!(
                !r.steps.iter().any(|s| s.contains("confirm the fix landed")),
                "{t}: {:?}",
                r.steps
            );
            let mut seen = r.steps.clone();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), r.steps.len(), "{t}: {:?}", r.steps);
        }
    }
}
