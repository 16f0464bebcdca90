// tactful.hpp — header-only C++17 RAII wrapper over the tactful C ABI (tactful.h).
//
// Every handle is owned by a class that frees it (no manual _free calls), text goes in as
// std::string_view, and errors come out as tactful::error exceptions carrying the result code
// and the library's last-error detail (message, field, line, column).
//
//   tactful::engine engine;                                  // default playbook and models
//   tactful::context ctx;
//   ctx.channel(TACTFUL_CHANNEL_CHAT).customer_name("Maria");
//   tactful::assessment a = engine.assess("My card was stolen!", ctx);
//   std::cout << a.category() << " " << tactful::name(a.approach()) << "\n" << a.opening();
//
// Reply review: engine.review_reply(customer_text, draft, &ctx) -> tactful::review (score(),
// findings(), suggestions()); conversations: tactful::conversation(engine, &ctx) with
// push_customer / push_agent returning a tactful::turn.
//
// Thread safety is the C library's: an engine (and its copies) may be used from any number of
// threads at once; an assessment is immutable; a context may be read concurrently but not
// changed while another thread uses it. Copying an engine shares it (a reference count), it
// does not rebuild it. Link with -ltactful.
#ifndef TACTFUL_HPP
#define TACTFUL_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tactful.h"

namespace tactful {

/// An error from the library: the numbered result code plus the thread's last-error detail.
class error : public std::runtime_error {
public:
    error(tactful_result code, const std::string &message, std::string field, std::size_t line,
          std::size_t column)
        : std::runtime_error(message), code_(code), field_(std::move(field)), line_(line),
          column_(column) {}

    /// The TACTFUL_RESULT_* code.
    tactful_result code() const noexcept { return code_; }
    /// The field the error is about (e.g. "categories[2].default_urgency"), or "".
    const std::string &field() const noexcept { return field_; }
    /// 1-based line in the playbook text, or 0 when unknown.
    std::size_t line() const noexcept { return line_; }
    /// 1-based column in the playbook text, or 0 when unknown.
    std::size_t column() const noexcept { return column_; }

private:
    tactful_result code_;
    std::string field_;
    std::size_t line_;
    std::size_t column_;
};

namespace detail {

struct string_deleter {
    void operator()(char *s) const noexcept { tactful_string_free(s); }
};
struct engine_deleter {
    void operator()(tactful_engine *p) const noexcept { tactful_engine_free(p); }
};
struct builder_deleter {
    void operator()(tactful_engine_builder *p) const noexcept { tactful_engine_builder_free(p); }
};
struct context_deleter {
    void operator()(tactful_context *p) const noexcept { tactful_context_free(p); }
};
struct assessment_deleter {
    void operator()(tactful_assessment *p) const noexcept { tactful_assessment_free(p); }
};
struct review_deleter {
    void operator()(tactful_review *p) const noexcept { tactful_review_free(p); }
};
struct conversation_deleter {
    void operator()(tactful_conversation *p) const noexcept { tactful_conversation_free(p); }
};
struct turn_deleter {
    void operator()(tactful_turn *p) const noexcept { tactful_turn_free(p); }
};

/// Takes ownership of a library string and copies it into a std::string ("" for NULL).
inline std::string take(char *s) {
    std::unique_ptr<char, string_deleter> owned(s);
    return owned ? std::string(owned.get()) : std::string();
}

/// A pointer for a string_view: never NULL, since the C side rejects NULL even for "".
inline const char *data(std::string_view s) noexcept { return s.data() != nullptr ? s.data() : ""; }

/// Throws the thread's last error for a failed call.
[[noreturn]] inline void raise(tactful_result code) {
    std::string message = take(tactful_last_error_message());
    if (message.empty()) message = tactful_result_message(code);
    throw error(code, message, take(tactful_last_error_field()), tactful_last_error_line(),
                tactful_last_error_column());
}

inline void check(tactful_result code) {
    if (code != TACTFUL_RESULT_OK) raise(code);
}

template <typename T>
T *not_null(T *p) {
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

} // namespace detail

/// The library version ("0.1.0") and ABI version of the loaded library.
inline std::string_view version() noexcept { return tactful_version(); }
inline std::uint32_t abi_version() noexcept { return tactful_abi_version(); }

/// JSON names of the vocabulary codes ("" for an unknown code).
inline std::string_view name(tactful_emotion v) noexcept { const char *s = tactful_emotion_name(v); return s ? s : ""; }
inline std::string_view name(tactful_urgency v) noexcept { const char *s = tactful_urgency_name(v); return s ? s : ""; }
inline std::string_view name(tactful_stance v) noexcept { const char *s = tactful_stance_name(v); return s ? s : ""; }
inline std::string_view name(tactful_style v) noexcept { const char *s = tactful_style_name(v); return s ? s : ""; }
inline std::string_view name(tactful_approach v) noexcept { const char *s = tactful_approach_name(v); return s ? s : ""; }
inline std::string_view name(tactful_empathy v) noexcept { const char *s = tactful_empathy_name(v); return s ? s : ""; }
inline std::string_view name(tactful_channel v) noexcept { const char *s = tactful_channel_name(v); return s ? s : ""; }
inline std::string_view name(tactful_flag v) noexcept { const char *s = tactful_flag_name(v); return s ? s : ""; }

/// A view of an assessment owned by something else (a conversation turn): the same
/// accessors as tactful::assessment, valid as long as its owner.
class assessment_view {
public:
    explicit assessment_view(const tactful_assessment *p) noexcept : p_(p) {}

    std::string_view category() const noexcept { const char *s = tactful_assessment_category(p_); return s ? s : ""; }
    double category_confidence() const noexcept { return tactful_assessment_category_confidence(p_); }
    tactful_emotion emotion() const noexcept { return tactful_assessment_emotion(p_); }
    double emotion_confidence() const noexcept { return tactful_assessment_emotion_confidence(p_); }
    double emotion_intensity() const noexcept { return tactful_assessment_emotion_intensity(p_); }
    double emotion_score(tactful_emotion e) const noexcept { return tactful_assessment_emotion_score(p_, e); }
    double sentiment() const noexcept { return tactful_assessment_sentiment(p_); }
    tactful_urgency urgency() const noexcept { return tactful_assessment_urgency(p_); }
    tactful_stance stance() const noexcept { return tactful_assessment_stance(p_); }
    tactful_style style() const noexcept { return tactful_assessment_style(p_); }
    double escalation_risk() const noexcept { return tactful_assessment_escalation_risk(p_); }
    double churn_risk() const noexcept { return tactful_assessment_churn_risk(p_); }
    tactful_approach approach() const noexcept { return tactful_assessment_approach(p_); }
    tactful_empathy empathy() const noexcept { return tactful_assessment_empathy(p_); }
    bool has(tactful_flag f) const noexcept { return tactful_assessment_has_flag(p_, f); }

    /// The flags set, in code order.
    std::vector<tactful_flag> flags() const {
        std::vector<tactful_flag> out(tactful_assessment_flag_count(p_));
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = tactful_assessment_flag_at(p_, i);
        return out;
    }

    /// The suggested first line for the agent.
    std::string opening() const {
        char *s = nullptr;
        detail::check(tactful_assessment_opening(p_, &s));
        return detail::take(s);
    }

    /// Everything, as the JSON of the README (same bytes as the Rust library).
    std::string to_json() const {
        char *s = nullptr;
        detail::check(tactful_assessment_to_json(p_, &s));
        return detail::take(s);
    }

    /// The C handle (not owned).
    const tactful_assessment *get() const noexcept { return p_; }

protected:
    const tactful_assessment *p_;
};

/// One finding of a reply review.
struct finding {
    std::string code;
    tactful_severity severity;
    std::string message;
};

/// A view of a reply review owned by something else (a conversation turn).
class review_view {
public:
    explicit review_view(const tactful_review *p) noexcept : p_(p) {}

    /// Overall quality of the draft, 0..100.
    int score() const noexcept { return tactful_review_score(p_); }
    tactful_approach approach() const noexcept { return tactful_review_approach(p_); }
    tactful_empathy expected_empathy() const noexcept { return tactful_review_expected_empathy(p_); }
    /// Sum of the three empathy mechanism levels, 0..6.
    int empathy_total() const noexcept { return tactful_review_empathy_total(p_); }
    bool has(std::string_view code) const noexcept { return tactful_review_has_finding(p_, detail::data(code), code.size()); }

    std::vector<finding> findings() const {
        std::vector<finding> out;
        for (std::size_t i = 0, n = tactful_review_finding_count(p_); i < n; ++i)
            out.push_back({tactful_review_finding_code(p_, i), tactful_review_finding_severity(p_, i),
                           tactful_review_finding_message(p_, i)});
        return out;
    }

    std::vector<std::string> suggestions() const {
        std::vector<std::string> out;
        for (std::size_t i = 0, n = tactful_review_suggestion_count(p_); i < n; ++i)
            out.emplace_back(tactful_review_suggestion_at(p_, i));
        return out;
    }

    /// Everything, as JSON (same bytes as the Rust library).
    std::string to_json() const {
        char *s = nullptr;
        detail::check(tactful_review_to_json(p_, &s));
        return detail::take(s);
    }

    /// The C handle (not owned).
    const tactful_review *get() const noexcept { return p_; }

protected:
    const tactful_review *p_;
};

/// An owned reply review (from engine::review_reply). Movable, not copyable.
class review : public review_view {
public:
    /// Takes ownership of a C review (must not be NULL).
    explicit review(tactful_review *p) noexcept : review_view(p), owned_(p) {}
    review(review &&o) noexcept : review_view(o.p_), owned_(std::move(o.owned_)) { o.p_ = nullptr; }
    review &operator=(review &&o) noexcept {
        owned_ = std::move(o.owned_);
        p_ = o.p_;
        o.p_ = nullptr;
        return *this;
    }

private:
    std::unique_ptr<tactful_review, detail::review_deleter> owned_;
};

/// What the contact center knows about the customer; every field optional. Setters return
/// *this for chaining and throw tactful::error on an invalid value (the context is unchanged).
class context {
public:
    context() : p_(detail::not_null(tactful_context_new())) {}

    /// Parses the context JSON of the README; unknown fields throw (code INVALID_CONTEXT).
    static context from_json(std::string_view json) {
        tactful_context *p = nullptr;
        detail::check(tactful_context_from_json(detail::data(json), json.size(), &p));
        return context(p);
    }

    context &channel(tactful_channel c) { detail::check(tactful_context_set_channel(get_mut(), c)); return *this; }
    context &customer_name(std::string_view n) { detail::check(tactful_context_set_customer_name(get_mut(), detail::data(n), n.size())); return *this; }
    context &prior_contacts(std::uint32_t n) { detail::check(tactful_context_set_prior_contacts(get_mut(), n)); return *this; }
    context &csat(std::uint32_t score) { detail::check(tactful_context_set_csat(get_mut(), score)); return *this; }
    context &nps(std::uint32_t score) { detail::check(tactful_context_set_nps(get_mut(), score)); return *this; }
    context &feedback_positive(bool positive) { detail::check(tactful_context_set_feedback_positive(get_mut(), positive)); return *this; }
    context &relationship(tactful_relationship r) { detail::check(tactful_context_set_relationship(get_mut(), r)); return *this; }
    context &policy_conflict(bool conflict) { detail::check(tactful_context_set_policy_conflict(get_mut(), conflict)); return *this; }
    context &allowed_alternative(std::string_view a) { detail::check(tactful_context_add_allowed_alternative(get_mut(), detail::data(a), a.size())); return *this; }
    context &max_gesture(std::string_view g) { detail::check(tactful_context_set_max_gesture(get_mut(), detail::data(g), g.size())); return *this; }

    /// The C handle, still owned by this object.
    const tactful_context *get() const noexcept { return p_.get(); }

private:
    explicit context(tactful_context *p) noexcept : p_(p) {}
    tactful_context *get_mut() const noexcept { return p_.get(); }
    std::unique_ptr<tactful_context, detail::context_deleter> p_;
};

/// The result of one assess: situation and recommendation. Immutable; movable, not copyable.
class assessment : public assessment_view {
public:
    /// Takes ownership of a C assessment (must not be NULL).
    explicit assessment(tactful_assessment *p) noexcept : assessment_view(p), owned_(p) {}
    assessment(assessment &&o) noexcept : assessment_view(o.p_), owned_(std::move(o.owned_)) { o.p_ = nullptr; }
    assessment &operator=(assessment &&o) noexcept {
        owned_ = std::move(o.owned_);
        p_ = o.p_;
        o.p_ = nullptr;
        return *this;
    }

private:
    std::unique_ptr<tactful_assessment, detail::assessment_deleter> owned_;
};

/// One item of engine::assess_batch: the result code and, on success, the assessment.
struct batch_item {
    tactful_result code;
    std::optional<assessment> value;
};

/// Reads messages and recommends responses. Build one and share it: copies share the same
/// engine (reference counted) and every method is const and thread-safe.
class engine {
public:
    /// The embedded default playbook and models.
    engine() {
        tactful_engine *p = nullptr;
        detail::check(tactful_engine_new(&p));
        p_.reset(p);
    }

    /// A playbook given as TOML or JSON text; a malformed one throws with field and line.
    static engine from_playbook_text(std::string_view playbook) {
        tactful_engine *p = nullptr;
        detail::check(tactful_engine_from_playbook_text(detail::data(playbook), playbook.size(), &p));
        return engine(p);
    }

    /// A playbook file (.toml or .json).
    static engine from_playbook_path(std::string_view path) {
        tactful_engine *p = nullptr;
        detail::check(tactful_engine_from_playbook_path(detail::data(path), path.size(), &p));
        return engine(p);
    }

    engine(const engine &other) : p_(detail::not_null(tactful_engine_clone(other.get()))) {}
    engine(engine &&) noexcept = default;
    engine &operator=(const engine &other) {
        if (this != &other) p_.reset(detail::not_null(tactful_engine_clone(other.get())));
        return *this;
    }
    engine &operator=(engine &&) noexcept = default;
    ~engine() = default;

    /// Assesses one message; throws tactful::error (EMPTY_INPUT, INVALID_UTF8, ...).
    assessment assess(std::string_view text) const { return assess_raw(text, nullptr); }
    assessment assess(std::string_view text, const context &ctx) const { return assess_raw(text, ctx.get()); }

    /// Assesses many messages in parallel inside the library; one bad item never fails the
    /// batch (its batch_item has the error code and no value).
    std::vector<batch_item> assess_batch(const std::vector<std::string_view> &texts,
                                         const context *ctx = nullptr) const {
        std::vector<const char *> ptrs(texts.size());
        std::vector<std::size_t> lens(texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i) {
            ptrs[i] = detail::data(texts[i]);
            lens[i] = texts[i].size();
        }
        std::vector<tactful_assessment *> outs(texts.size(), nullptr);
        std::vector<tactful_result> codes(texts.size(), TACTFUL_RESULT_OK);
        detail::check(tactful_engine_assess_batch(get(), ptrs.data(), lens.data(), texts.size(),
                                                  ctx != nullptr ? ctx->get() : nullptr,
                                                  outs.data(), codes.data()));
        std::vector<batch_item> items;
        items.reserve(texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i) {
            batch_item item{codes[i], std::nullopt};
            if (outs[i] != nullptr) item.value.emplace(outs[i]);
            items.push_back(std::move(item));
        }
        return items;
    }

    /// Reviews an agent's draft reply to a customer's message.
    review review_reply(std::string_view customer_text, std::string_view draft,
                        const context *ctx = nullptr) const {
        tactful_review *r = nullptr;
        detail::check(tactful_engine_review_reply(get(), detail::data(customer_text), customer_text.size(),
                                                  detail::data(draft), draft.size(),
                                                  ctx != nullptr ? ctx->get() : nullptr, &r));
        return review(r);
    }

    /// Reviews a draft against an existing assessment.
    review review_reply_for(const assessment_view &a, std::string_view draft,
                            const context *ctx = nullptr) const {
        tactful_review *r = nullptr;
        detail::check(tactful_engine_review_reply_for(get(), a.get(), detail::data(draft), draft.size(),
                                                      ctx != nullptr ? ctx->get() : nullptr, &r));
        return review(r);
    }

    bool has_models() const noexcept { return tactful_engine_has_models(get()); }
    std::size_t max_input_bytes() const noexcept { return tactful_engine_max_input_bytes(get()); }

    /// The C handle, still owned by this object.
    const tactful_engine *get() const noexcept { return p_.get(); }

private:
    friend class engine_builder;
    explicit engine(tactful_engine *p) noexcept : p_(p) {}

    assessment assess_raw(std::string_view text, const tactful_context *ctx) const {
        tactful_assessment *a = nullptr;
        detail::check(tactful_engine_assess(get(), detail::data(text), text.size(), ctx, &a));
        return assessment(a);
    }

    std::unique_ptr<tactful_engine, detail::engine_deleter> p_;
};

/// Configures an engine. Setters return *this; build() may be called once.
class engine_builder {
public:
    engine_builder() : p_(detail::not_null(tactful_engine_builder_new())) {}

    engine_builder &playbook_text(std::string_view t) { detail::check(tactful_engine_builder_set_playbook_text(live(), detail::data(t), t.size())); return *this; }
    engine_builder &playbook_path(std::string_view p) { detail::check(tactful_engine_builder_set_playbook_path(live(), detail::data(p), p.size())); return *this; }
    engine_builder &model_path(std::string_view p) { detail::check(tactful_engine_builder_set_model_path(live(), detail::data(p), p.size())); return *this; }
    engine_builder &model_bytes(const std::uint8_t *bytes, std::size_t len) { detail::check(tactful_engine_builder_set_model_bytes(live(), bytes, len)); return *this; }
    engine_builder &rules_only(bool yes) { detail::check(tactful_engine_builder_set_rules_only(live(), yes)); return *this; }
    engine_builder &max_input_bytes(std::size_t max) { detail::check(tactful_engine_builder_set_max_input_bytes(live(), max)); return *this; }

    /// Builds the engine; the builder is used up whatever happens.
    engine build() {
        tactful_engine *p = nullptr;
        // The C call frees the builder on success and on failure.
        detail::check(tactful_engine_builder_build(p_.release(), &p));
        return engine(p);
    }

private:
    tactful_engine_builder *live() const {
        if (!p_) throw error(TACTFUL_RESULT_ALREADY_USED, "the builder was already built", "", 0, 0);
        return p_.get();
    }
    std::unique_ptr<tactful_engine_builder, detail::builder_deleter> p_;
};

/// The result of pushing one turn to a conversation. Movable, not copyable.
class turn {
public:
    explicit turn(tactful_turn *p) noexcept : p_(p) {}

    std::size_t index() const noexcept { return tactful_turn_index(p_.get()); }
    /// A customer turn's assessment (empty for an agent turn); valid while this turn lives.
    std::optional<assessment_view> assessment() const {
        const tactful_assessment *a = tactful_turn_assessment(p_.get());
        return a != nullptr ? std::optional<assessment_view>(assessment_view(a)) : std::nullopt;
    }
    /// An agent turn's review (empty for a customer turn); valid while this turn lives.
    std::optional<review_view> review() const {
        const tactful_review *r = tactful_turn_review(p_.get());
        return r != nullptr ? std::optional<review_view>(review_view(r)) : std::nullopt;
    }
    std::string to_json() const {
        char *s = nullptr;
        detail::check(tactful_turn_to_json(p_.get(), &s));
        return detail::take(s);
    }

private:
    std::unique_ptr<tactful_turn, detail::turn_deleter> p_;
};

/// Follows one conversation turn by turn. Not thread-safe: push from one thread at a time.
class conversation {
public:
    explicit conversation(const engine &e, const context *ctx = nullptr) {
        tactful_conversation *p = nullptr;
        detail::check(tactful_conversation_new(e.get(), ctx != nullptr ? ctx->get() : nullptr, &p));
        p_.reset(p);
    }

    /// Pushes a customer turn; timestamp in seconds, or negative when unknown.
    turn push_customer(std::string_view text, std::int64_t timestamp = -1) {
        tactful_turn *t = nullptr;
        detail::check(tactful_conversation_push_customer(p_.get(), detail::data(text), text.size(), timestamp, &t));
        return turn(t);
    }
    /// Pushes an agent turn (reviewed against the adapted recommendation).
    turn push_agent(std::string_view text, std::int64_t timestamp = -1) {
        tactful_turn *t = nullptr;
        detail::check(tactful_conversation_push_agent(p_.get(), detail::data(text), text.size(), timestamp, &t));
        return turn(t);
    }

    std::size_t turn_count() const noexcept { return tactful_conversation_turn_count(p_.get()); }
    double heat() const noexcept { return tactful_conversation_heat(p_.get()); }
    /// 1 yes, 0 no, -1 unknown.
    int empathy_landed() const noexcept { return tactful_conversation_empathy_landed(p_.get()); }
    bool action_mode() const noexcept { return tactful_conversation_action_mode(p_.get()); }
    bool offer_supervisor() const noexcept { return tactful_conversation_offer_supervisor(p_.get()); }
    std::uint32_t repetitions() const noexcept { return tactful_conversation_repetitions(p_.get()); }
    tactful_approach approach() const noexcept { return tactful_conversation_approach(p_.get()); }
    std::string state_json() const {
        char *s = nullptr;
        detail::check(tactful_conversation_state_to_json(p_.get(), &s));
        return detail::take(s);
    }

private:
    std::unique_ptr<tactful_conversation, detail::conversation_deleter> p_;
};

} // namespace tactful

#endif // TACTFUL_HPP
