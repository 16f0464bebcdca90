// C++17 tests of include/tactful.hpp, compiled with -std=c++17 -Wall -Wextra -Werror against
// the real headers and run natively and under valgrind by tests/c/run.sh.
//
// Usage: test_cpp REFERENCE.tsv CASES.jsonl...
// The golden cases are read straight from the JSON Lines files (with nlohmann/json, an input
// path independent of the Rust-written reference), assessed through the C++ wrapper, and must
// give the labels and the JSON the Rust engine gave (REFERENCE.tsv, written at test time).
// Agreement with each case's `expect` is printed for information only: accuracy is the core's
// business (crates/tactful/tests/golden.rs); this suite checks the bindings do not drift.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tactful.hpp"

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            ++passed;                                                                 \
        } else {                                                                      \
            ++failed;                                                                 \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)

template <typename F>
static tactful_result error_code_of(F &&f) {
    try {
        f();
    } catch (const tactful::error &e) {
        return e.code();
    }
    return TACTFUL_RESULT_OK;
}

static std::string unhex(const std::string &h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

static std::vector<std::string> split_tabs(const std::string &line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) out.push_back(field);
    return out;
}

static bool expect_ok(const nlohmann::json &expect, const char *key, std::string_view got) {
    if (!expect.contains(key)) return true;
    const auto &want = expect[key];
    if (want.is_string()) return want.get<std::string>() == got;
    for (const auto &w : want)
        if (w.get<std::string>() == got) return true;
    return false;
}

static void test_golden(const tactful::engine &engine, const char *ref_path, int nfiles, char **files) {
    std::map<std::string, std::vector<std::string>> ref;
    std::ifstream rf(ref_path);
    std::string line;
    while (std::getline(rf, line)) {
        auto f = split_tabs(line);
        if (f.size() == 11) ref[f[0]] = f;
    }
    CHECK(ref.size() >= 8);
    int cases = 0, expected_ok = 0, expected_total = 0;
    for (int i = 0; i < nfiles; ++i) {
        std::ifstream in(files[i]);
        while (std::getline(in, line)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            auto c = nlohmann::json::parse(line);
            std::string id = c.at("id").get<std::string>();
            std::string text = c.at("text").get<std::string>();
            auto it = ref.find(id);
            CHECK(it != ref.end());
            if (it == ref.end()) continue;
            const auto &r = it->second;
            ++cases;
            try {
                tactful::assessment a = c.contains("context")
                    ? engine.assess(text, tactful::context::from_json(c["context"].dump()))
                    : engine.assess(text);
                bool same = a.category() == r[3] && tactful::name(a.emotion()) == r[4] &&
                            tactful::name(a.urgency()) == r[5] && tactful::name(a.stance()) == r[6] &&
                            tactful::name(a.style()) == r[7] && tactful::name(a.approach()) == r[8] &&
                            tactful::name(a.empathy()) == r[9] && a.to_json() == unhex(r[10]);
                if (!same) std::fprintf(stderr, "golden case %s: C++ differs from Rust\n", id.c_str());
                CHECK(same);
                if (c.contains("expect")) {
                    const auto &e = c["expect"];
                    ++expected_total;
                    if (expect_ok(e, "category", a.category()) && expect_ok(e, "emotion", tactful::name(a.emotion())) &&
                        expect_ok(e, "urgency", tactful::name(a.urgency())) && expect_ok(e, "stance", tactful::name(a.stance())) &&
                        expect_ok(e, "style", tactful::name(a.style())) && expect_ok(e, "approach", tactful::name(a.approach())) &&
                        expect_ok(e, "empathy", tactful::name(a.empathy())))
                        ++expected_ok;
                }
            } catch (const tactful::error &e) {
                std::fprintf(stderr, "golden case %s: %s\n", id.c_str(), e.what());
                CHECK(false);
            }
        }
    }
    CHECK(cases == static_cast<int>(ref.size()));
    std::printf("golden: %d cases through tactful.hpp, all compared with Rust; labels meet `expect` in %d of %d (information)\n",
                cases, expected_ok, expected_total);
}

static void test_errors(const tactful::engine &engine) {
    CHECK(error_code_of([&] { engine.assess(""); }) == TACTFUL_RESULT_EMPTY_INPUT);
    CHECK(error_code_of([&] { engine.assess(std::string_view()); }) == TACTFUL_RESULT_EMPTY_INPUT);
    CHECK(error_code_of([&] { engine.assess("caf\xc3"); }) == TACTFUL_RESULT_INVALID_UTF8);
    try {
        tactful::engine::from_playbook_text("version = 1\nname = \"x\"\ncategories = [\n");
        CHECK(false);
    } catch (const tactful::error &e) {
        CHECK(e.code() == TACTFUL_RESULT_INVALID_PLAYBOOK);
        CHECK(e.line() >= 3);
        CHECK(std::string(e.what()).find("line") != std::string::npos);
    }
    try {
        tactful::context::from_json(R"({"channel":"fax"})");
        CHECK(false);
    } catch (const tactful::error &e) {
        CHECK(e.code() == TACTFUL_RESULT_INVALID_CONTEXT);
    }
    tactful::context ctx;
    CHECK(error_code_of([&] { ctx.csat(6); }) == TACTFUL_RESULT_INVALID_CONTEXT);
    CHECK(error_code_of([&] { ctx.channel(static_cast<tactful_channel>(42)); }) == TACTFUL_RESULT_UNKNOWN_VALUE);
    CHECK(error_code_of([&] { tactful::engine::from_playbook_path("/nonexistent.toml"); }) == TACTFUL_RESULT_IO);
    tactful::engine_builder b;
    b.max_input_bytes(0);
    CHECK(error_code_of([&] { b.build(); }) == TACTFUL_RESULT_INVALID_OPTION);
    CHECK(error_code_of([&] { b.rules_only(true); }) == TACTFUL_RESULT_ALREADY_USED);
}

static void test_raii(const tactful::engine &engine) {
    tactful::context ctx;
    ctx.channel(TACTFUL_CHANNEL_EMAIL).customer_name("Zoë").prior_contacts(2).nps(3)
        .relationship(TACTFUL_RELATIONSHIP_ESTABLISHED).policy_conflict(true)
        .allowed_alternative("exchange").max_gesture("free shipping");
    tactful::engine copy = engine;             // shares the engine
    tactful::engine moved = std::move(copy);   // moves the handle
    tactful::assessment a = moved.assess("The blender I bought for 349 EUR arrived cracked.", ctx);
    CHECK(!a.category().empty());
    CHECK(a.to_json().front() == '{');
    CHECK(a.sentiment() >= -1.0 && a.sentiment() <= 1.0);
    double total = 0;
    for (std::uint32_t e = TACTFUL_EMOTION_ANGER; e <= TACTFUL_EMOTION_POSITIVE; ++e) total += a.emotion_score(static_cast<tactful_emotion>(e));
    CHECK(std::fabs(total - 1.0) < 1e-6);
    for (tactful_flag f : a.flags()) CHECK(a.has(f) && !tactful::name(f).empty());
    (void)a.opening();
    tactful::assessment kept = std::move(a);   // assessments move and outlive the engine
    {
        tactful::engine scoped = tactful::engine_builder().rules_only(true).max_input_bytes(1 << 20).build();
        CHECK(!scoped.has_models());
        CHECK(scoped.max_input_bytes() == (1u << 20));
        CHECK(error_code_of([&] { scoped.assess(std::string((1 << 20) + 1, 'a')); }) == TACTFUL_RESULT_INPUT_TOO_LARGE);
    }
    CHECK(!kept.category().empty());

    std::vector<std::string_view> texts = {"My card was stolen, block it", "", "caf\xc3", "Thanks, all good now!"};
    auto items = engine.assess_batch(texts, &ctx);
    CHECK(items.size() == 4);
    CHECK(items[0].code == TACTFUL_RESULT_OK && items[0].value.has_value());
    CHECK(items[1].code == TACTFUL_RESULT_EMPTY_INPUT && !items[1].value);
    CHECK(items[2].code == TACTFUL_RESULT_INVALID_UTF8 && !items[2].value);
    CHECK(items[3].code == TACTFUL_RESULT_OK && items[3].value.has_value());
    CHECK(tactful::version() == tactful_version());
    CHECK(tactful::abi_version() == TACTFUL_ABI_VERSION);
}

static void test_review_and_conversation(const tactful::engine &engine) {
    tactful::context ctx;
    ctx.customer_name("Maria");
    tactful::review r = engine.review_reply(
        "Someone took $450 from my card, I did not make this payment!",
        "We apologize for any inconvenience. Please be advised that you should have kept your card safe.", &ctx);
    CHECK(r.score() >= 0 && r.score() <= 100);
    CHECK(r.to_json().front() == '{');
    for (const auto &f : r.findings()) CHECK(!f.code.empty() && r.has(f.code) && f.severity != TACTFUL_SEVERITY_UNKNOWN);
    (void)r.suggestions();
    tactful::review moved = std::move(r);
    CHECK(moved.score() >= 0);
    CHECK(error_code_of([&] { engine.review_reply("My card was stolen", "", &ctx); }) == TACTFUL_RESULT_EMPTY_INPUT);
    tactful::assessment a = engine.assess("My order #5512 arrived broken.");
    CHECK(engine.review_reply_for(a, "I'm sorry it arrived broken. I've just sent a replacement; it will arrive by Friday.").score() >= 0);

    tactful::conversation conv(engine, &ctx);
    CHECK(conv.approach() == TACTFUL_APPROACH_UNKNOWN);
    tactful::turn t1 = conv.push_customer("My card was charged twice for order 4411!", 0);
    CHECK(t1.assessment().has_value() && !t1.review().has_value());
    CHECK(!t1.assessment()->category().empty());
    tactful::turn t2 = conv.push_agent("I'm so sorry you feel that way.", 30);
    CHECK(t2.review().has_value() && t2.review()->score() >= 0);
    conv.push_customer("Stop apologizing and just fix it!", 60);
    CHECK(conv.turn_count() == 3);
    CHECK(conv.approach() != TACTFUL_APPROACH_UNKNOWN);
    CHECK(conv.heat() >= 0.0 && conv.heat() <= 1.0);
    CHECK(conv.state_json().find("\"turns\":3") != std::string::npos);
    CHECK(t1.to_json().find("\"speaker\":\"customer\"") != std::string::npos);
    CHECK(error_code_of([&] { conv.push_customer("again", 10); }) == TACTFUL_RESULT_INVALID_TURN);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s REFERENCE.tsv CASES.jsonl...\n", argv[0]);
        return 2;
    }
    try {
        tactful::engine engine;
        test_golden(engine, argv[1], argc - 2, argv + 2);
        test_errors(engine);
        test_raii(engine);
        test_review_and_conversation(engine);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "unexpected exception: %s\n", e.what());
        ++failed;
    }
    std::printf("test_cpp: %d checks ok, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
