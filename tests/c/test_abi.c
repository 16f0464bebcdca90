/*
 * C99 tests of the tactful C ABI, compiled with -std=c99 -Wall -Wextra -Werror against the
 * real include/tactful.h and run natively and under valgrind by tests/c/run.sh.
 *
 * Usage: test_abi REFERENCE.tsv [big]
 *   REFERENCE.tsv  what the Rust engine answered for every golden case (written at test time
 *                  by `cargo run -p tactful-ffi --example golden_reference`); every case is
 *                  assessed again here through the C ABI and must give the same labels and the
 *                  same JSON, byte for byte.
 *   big            also assess a 5 MB text (skipped under valgrind to keep it fast).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tactful.h"

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            passed++;                                                                \
        } else {                                                                     \
            failed++;                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_RESULT(call, expected)                                                       \
    do {                                                                                   \
        tactful_result r_ = (call);                                                        \
        if (r_ == (expected)) {                                                            \
            passed++;                                                                      \
        } else {                                                                           \
            failed++;                                                                      \
            fprintf(stderr, "%s:%d: %s gave %u (%s), expected %u\n", __FILE__, __LINE__,  \
                    #call, (unsigned)r_, tactful_result_message(r_), (unsigned)(expected)); \
        }                                                                                  \
    } while (0)

/* The last error message, or "" (the copy is freed here). */
static void last_error(char *buf, size_t cap) {
    char *m = tactful_last_error_message();
    buf[0] = '\0';
    if (m != NULL) {
        strncpy(buf, m, cap - 1);
        buf[cap - 1] = '\0';
        tactful_string_free(m);
    }
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decodes hex in place; returns the decoded length. */
static size_t unhex(char *s) {
    size_t n = strlen(s) / 2, i;
    for (i = 0; i < n; i++) {
        s[i] = (char)(hexval(s[2 * i]) * 16 + hexval(s[2 * i + 1]));
    }
    s[n] = '\0';
    return n;
}

/* Reads one line of any length; NULL at end of file. The caller frees it. */
static char *read_line(FILE *f) {
    size_t cap = 256, len = 0;
    char *buf = (char *)malloc(cap);
    int c;
    if (buf == NULL) return NULL;
    while ((c = fgetc(f)) != EOF && c != '\n') {
        if (len + 1 >= cap) {
            char *bigger = (char *)realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
        buf[len++] = (char)c;
    }
    if (c == EOF && len == 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static int same(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Every golden case through the C ABI must give exactly what the Rust engine gave. */
static void test_golden(const tactful_engine *engine, const char *path) {
    FILE *f = fopen(path, "rb");
    char *line;
    int cases = 0, mismatches = 0;
    CHECK(f != NULL);
    if (f == NULL) return;
    while ((line = read_line(f)) != NULL) {
        char *field[11];
        int n = 0;
        char *p = line;
        tactful_context *ctx = NULL;
        tactful_assessment *a = NULL;
        char *json = NULL;
        size_t text_len, ctx_len;
        field[n++] = p;
        while (n < 11 && (p = strchr(p, '\t')) != NULL) {
            *p++ = '\0';
            field[n++] = p;
        }
        CHECK(n == 11);
        if (n != 11) {
            free(line);
            continue;
        }
        text_len = unhex(field[1]);
        ctx_len = unhex(field[2]);
        unhex(field[10]);
        cases++;
        if (ctx_len > 0) {
            CHECK_RESULT(tactful_context_from_json(field[2], ctx_len, &ctx), TACTFUL_RESULT_OK);
        }
        CHECK_RESULT(tactful_engine_assess(engine, field[1], text_len, ctx, &a), TACTFUL_RESULT_OK);
        if (a != NULL) {
            int ok = same(tactful_assessment_category(a), field[3]) &&
                     same(tactful_emotion_name(tactful_assessment_emotion(a)), field[4]) &&
                     same(tactful_urgency_name(tactful_assessment_urgency(a)), field[5]) &&
                     same(tactful_stance_name(tactful_assessment_stance(a)), field[6]) &&
                     same(tactful_style_name(tactful_assessment_style(a)), field[7]) &&
                     same(tactful_approach_name(tactful_assessment_approach(a)), field[8]) &&
                     same(tactful_empathy_name(tactful_assessment_empathy(a)), field[9]);
            CHECK_RESULT(tactful_assessment_to_json(a, &json), TACTFUL_RESULT_OK);
            ok = ok && same(json, field[10]);
            if (!ok) {
                mismatches++;
                fprintf(stderr, "golden case %s: the C ABI differs from the Rust engine\n",
                        field[0]);
            }
            CHECK(ok);
            tactful_string_free(json);
            tactful_assessment_free(a);
        }
        tactful_context_free(ctx);
        free(line);
    }
    fclose(f);
    CHECK(cases >= 8);
    printf("golden: %d cases through the C ABI, %d differ from Rust\n", cases, mismatches);
}

static void test_version(void) {
    char expected[64];
    sprintf(expected, "%d.%d.%d", TACTFUL_VERSION_MAJOR, TACTFUL_VERSION_MINOR,
            TACTFUL_VERSION_PATCH);
    CHECK(strcmp(tactful_version(), expected) == 0);
    CHECK(tactful_abi_version() == TACTFUL_ABI_VERSION);
    CHECK(strcmp(tactful_result_message(TACTFUL_RESULT_OK), "success") == 0);
    CHECK(strcmp(tactful_result_message(424242), "unknown result code") == 0);
    CHECK(tactful_emotion_name(TACTFUL_EMOTION_UNKNOWN) == NULL);
    CHECK(strcmp(tactful_channel_name(TACTFUL_CHANNEL_IN_PERSON), "in_person") == 0);
    CHECK(strcmp(tactful_flag_name(TACTFUL_FLAG_MONEY_AT_RISK), "money_at_risk") == 0);
}

/* NULL for every pointer argument: an error code or a neutral value, never a crash. */
static void test_nulls(const tactful_engine *engine) {
    const char *t = "My card was stolen";
    size_t n = strlen(t);
    tactful_assessment *a = NULL;
    tactful_engine *e = NULL;
    tactful_context *c = NULL;
    char *s = NULL;
    const char *texts[1];
    size_t lens[1];
    tactful_assessment *outs[1];
    tactful_result results[1];
    tactful_engine_builder *b;
    char msg[256];
    texts[0] = t;
    lens[0] = n;

    CHECK_RESULT(tactful_engine_assess(NULL, t, n, NULL, &a), TACTFUL_RESULT_NULL_PARAMETER);
    last_error(msg, sizeof msg);
    CHECK(strstr(msg, "engine") != NULL);
    CHECK(tactful_last_error_code() == TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_assess(engine, NULL, n, NULL, &a), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_assess(engine, NULL, 0, NULL, &a), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_assess(engine, t, n, NULL, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK(a == NULL);
    CHECK_RESULT(tactful_engine_assess_batch(NULL, texts, lens, 1, NULL, outs, results),
                 TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_assess_batch(engine, NULL, lens, 1, NULL, outs, results),
                 TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_assess_batch(engine, texts, NULL, 1, NULL, outs, results),
                 TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_assess_batch(engine, texts, lens, 1, NULL, NULL, results),
                 TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_assess_batch(engine, texts, lens, 1, NULL, outs, NULL),
                 TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_new(NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_from_playbook_text(NULL, 0, &e), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_from_playbook_text("x", 1, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_from_playbook_path(NULL, 0, &e), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_from_playbook_path("x", 1, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK(e == NULL);
    CHECK(tactful_engine_clone(NULL) == NULL);
    CHECK(!tactful_engine_has_models(NULL));
    CHECK(tactful_engine_max_input_bytes(NULL) == 0);

    CHECK_RESULT(tactful_context_from_json(NULL, 0, &c), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_from_json("{}", 2, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_channel(NULL, TACTFUL_CHANNEL_CHAT), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_customer_name(NULL, "A", 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_prior_contacts(NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_csat(NULL, 3), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_nps(NULL, 3), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_feedback_positive(NULL, true), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_relationship(NULL, 0), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_policy_conflict(NULL, true), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_add_allowed_alternative(NULL, "A", 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_max_gesture(NULL, "A", 1), TACTFUL_RESULT_NULL_PARAMETER);
    c = tactful_context_new();
    CHECK(c != NULL);
    CHECK_RESULT(tactful_context_set_customer_name(c, NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_add_allowed_alternative(c, NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_context_set_max_gesture(c, NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    tactful_context_free(c);

    CHECK(tactful_assessment_category(NULL) == NULL);
    CHECK(tactful_assessment_category_confidence(NULL) != tactful_assessment_category_confidence(NULL)); /* NaN */
    CHECK(tactful_assessment_emotion(NULL) == TACTFUL_EMOTION_UNKNOWN);
    CHECK(tactful_assessment_emotion_confidence(NULL) != tactful_assessment_emotion_confidence(NULL));
    CHECK(tactful_assessment_emotion_intensity(NULL) != tactful_assessment_emotion_intensity(NULL));
    CHECK(tactful_assessment_emotion_score(NULL, 0) != tactful_assessment_emotion_score(NULL, 0));
    CHECK(tactful_assessment_sentiment(NULL) != tactful_assessment_sentiment(NULL));
    CHECK(tactful_assessment_urgency(NULL) == TACTFUL_URGENCY_UNKNOWN);
    CHECK(tactful_assessment_stance(NULL) == TACTFUL_STANCE_UNKNOWN);
    CHECK(tactful_assessment_style(NULL) == TACTFUL_STYLE_UNKNOWN);
    CHECK(tactful_assessment_escalation_risk(NULL) != tactful_assessment_escalation_risk(NULL));
    CHECK(tactful_assessment_churn_risk(NULL) != tactful_assessment_churn_risk(NULL));
    CHECK(tactful_assessment_flag_count(NULL) == 0);
    CHECK(tactful_assessment_flag_at(NULL, 0) == TACTFUL_FLAG_UNKNOWN);
    CHECK(!tactful_assessment_has_flag(NULL, TACTFUL_FLAG_SECURITY));
    CHECK(tactful_assessment_approach(NULL) == TACTFUL_APPROACH_UNKNOWN);
    CHECK(tactful_assessment_empathy(NULL) == TACTFUL_EMPATHY_UNKNOWN);
    CHECK_RESULT(tactful_assessment_opening(NULL, &s), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_assessment_to_json(NULL, &s), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK(s == NULL);
    CHECK_RESULT(tactful_engine_assess(engine, t, n, NULL, &a), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_assessment_opening(a, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_assessment_to_json(a, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    tactful_assessment_free(a);

    CHECK_RESULT(tactful_engine_builder_set_playbook_text(NULL, "x", 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_playbook_path(NULL, "x", 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_model_path(NULL, "x", 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_model_bytes(NULL, (const uint8_t *)"x", 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_rules_only(NULL, true), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_max_input_bytes(NULL, 10), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_build(NULL, &e), TACTFUL_RESULT_NULL_PARAMETER);
    b = tactful_engine_builder_new();
    CHECK_RESULT(tactful_engine_builder_set_playbook_text(b, NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_playbook_path(b, NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_model_path(b, NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_set_model_bytes(b, NULL, 1), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_builder_build(b, NULL), TACTFUL_RESULT_NULL_PARAMETER); /* frees b */

    tactful_assessment_free(NULL);
    tactful_context_free(NULL);
    tactful_engine_free(NULL);
    tactful_engine_builder_free(NULL);
    tactful_string_free(NULL);
}

static void test_bad_text(const tactful_engine *engine, int big) {
    tactful_assessment *a = NULL;
    char msg[512];
    const char bad_utf8[] = "caf\xc3 \xff\xfe";
    const char with_nul[] = "my card\0 was stolen";
    CHECK_RESULT(tactful_engine_assess(engine, bad_utf8, sizeof bad_utf8 - 1, NULL, &a),
                 TACTFUL_RESULT_INVALID_UTF8);
    last_error(msg, sizeof msg);
    CHECK(strstr(msg, "UTF-8") != NULL);
    CHECK(a == NULL);
    CHECK_RESULT(tactful_engine_assess(engine, "", 0, NULL, &a), TACTFUL_RESULT_EMPTY_INPUT);
    CHECK_RESULT(tactful_engine_assess(engine, " \n\t ", 4, NULL, &a), TACTFUL_RESULT_EMPTY_INPUT);
    CHECK(a == NULL);
    /* Text is (ptr, len): an embedded NUL is just a character. */
    CHECK_RESULT(tactful_engine_assess(engine, with_nul, sizeof with_nul - 1, NULL, &a), TACTFUL_RESULT_OK);
    tactful_assessment_free(a);
    a = NULL;

    {
        /* An engine limited to 1 MB refuses 1 MB + 1 byte with INPUT_TOO_LARGE. */
        tactful_engine_builder *b = tactful_engine_builder_new();
        tactful_engine *small = NULL;
        size_t len = 1024 * 1024 + 1;
        char *text = (char *)malloc(len);
        CHECK(b != NULL && text != NULL);
        memset(text, 'a', len);
        CHECK_RESULT(tactful_engine_builder_set_max_input_bytes(b, 1024 * 1024), TACTFUL_RESULT_OK);
        CHECK_RESULT(tactful_engine_builder_build(b, &small), TACTFUL_RESULT_OK);
        CHECK(tactful_engine_max_input_bytes(small) == 1024 * 1024);
        CHECK_RESULT(tactful_engine_assess(small, text, len, NULL, &a), TACTFUL_RESULT_INPUT_TOO_LARGE);
        last_error(msg, sizeof msg);
        CHECK(strstr(msg, "1048577") != NULL);
        tactful_engine_free(small);
        free(text);
    }

    if (big) {
        /* 5 MB of real sentences through the default engine (16 MiB limit). */
        const char *sentence = "My card was charged twice and nobody answers the phone. ";
        size_t slen = strlen(sentence), len = 0, cap = 5 * 1024 * 1024;
        char *text = (char *)malloc(cap);
        char *json = NULL;
        CHECK(text != NULL);
        while (len + slen <= cap) {
            memcpy(text + len, sentence, slen);
            len += slen;
        }
        CHECK_RESULT(tactful_engine_assess(engine, text, len, NULL, &a), TACTFUL_RESULT_OK);
        CHECK(tactful_assessment_category(a) != NULL);
        CHECK_RESULT(tactful_assessment_to_json(a, &json), TACTFUL_RESULT_OK);
        CHECK(json != NULL && json[0] == '{');
        tactful_string_free(json);
        tactful_assessment_free(a);
        printf("big: assessed %lu bytes\n", (unsigned long)len);
    }
}

static void test_playbooks(void) {
    tactful_engine *e = NULL;
    char msg[512];
    char *field;
    const char *unknown_field = "version = 1\ncolour = 3\n";
    const char *broken_toml = "version = 1\nname = \"x\"\ncategories = [\n";
    const char *broken_json = "{\"version\": 1, \"categories\": [}";
    const char *path = "/nonexistent/tactful/playbook.toml";

    CHECK_RESULT(tactful_engine_from_playbook_text(unknown_field, strlen(unknown_field), &e),
                 TACTFUL_RESULT_INVALID_PLAYBOOK);
    CHECK(e == NULL);
    CHECK(tactful_last_error_code() == TACTFUL_RESULT_INVALID_PLAYBOOK);
    last_error(msg, sizeof msg);
    CHECK(strstr(msg, "colour") != NULL);
    printf("malformed playbook: %s\n", msg);

    CHECK_RESULT(tactful_engine_from_playbook_text(broken_toml, strlen(broken_toml), &e),
                 TACTFUL_RESULT_INVALID_PLAYBOOK);
    CHECK(tactful_last_error_line() >= 3);
    CHECK(tactful_last_error_column() >= 1);
    last_error(msg, sizeof msg);
    CHECK(strstr(msg, "line") != NULL);
    printf("broken TOML: line %lu: %s\n", (unsigned long)tactful_last_error_line(), msg);

    CHECK_RESULT(tactful_engine_from_playbook_text(broken_json, strlen(broken_json), &e),
                 TACTFUL_RESULT_INVALID_PLAYBOOK);
    CHECK(tactful_last_error_line() == 1);

    CHECK_RESULT(tactful_engine_from_playbook_path(path, strlen(path), &e), TACTFUL_RESULT_IO);
    last_error(msg, sizeof msg);
    CHECK(strstr(msg, path) != NULL);
    CHECK(e == NULL);

    {
        /* A context with an unknown field names it. */
        tactful_context *c = NULL;
        const char *json = "{\"channel\": \"chat\", \"colour\": 1}";
        CHECK_RESULT(tactful_context_from_json(json, strlen(json), &c), TACTFUL_RESULT_INVALID_CONTEXT);
        CHECK(c == NULL);
        field = tactful_last_error_field();
        CHECK(field != NULL && strcmp(field, "colour") == 0);
        tactful_string_free(field);
    }
}

static void test_context_and_accessors(const tactful_engine *engine) {
    tactful_context *c = tactful_context_new();
    tactful_assessment *a = NULL;
    const char *text = "Someone used my card abroad and took $900, block it now!";
    char *opening = NULL;
    size_t i, nflags;
    double total = 0.0;
    CHECK(c != NULL);
    CHECK_RESULT(tactful_context_set_channel(c, TACTFUL_CHANNEL_CHAT), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_set_channel(c, 77), TACTFUL_RESULT_UNKNOWN_VALUE);
    CHECK_RESULT(tactful_context_set_customer_name(c, "Maria", 5), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_set_prior_contacts(c, 2), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_set_csat(c, 0), TACTFUL_RESULT_INVALID_CONTEXT);
    CHECK_RESULT(tactful_context_set_csat(c, 2), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_set_nps(c, 11), TACTFUL_RESULT_INVALID_CONTEXT);
    CHECK_RESULT(tactful_context_set_relationship(c, TACTFUL_RELATIONSHIP_HIGH_VALUE), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_set_relationship(c, 9), TACTFUL_RESULT_UNKNOWN_VALUE);
    CHECK_RESULT(tactful_context_set_policy_conflict(c, true), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_add_allowed_alternative(c, "store credit", 12), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_set_max_gesture(c, "10% discount", 12), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_context_set_customer_name(c, "\xff", 1), TACTFUL_RESULT_INVALID_UTF8);

    CHECK_RESULT(tactful_engine_assess(engine, text, strlen(text), c, &a), TACTFUL_RESULT_OK);
    CHECK(tactful_assessment_category(a) != NULL);
    CHECK(tactful_assessment_category_confidence(a) >= 0.0 && tactful_assessment_category_confidence(a) <= 1.0);
    CHECK(tactful_emotion_name(tactful_assessment_emotion(a)) != NULL);
    CHECK(tactful_urgency_name(tactful_assessment_urgency(a)) != NULL);
    CHECK(tactful_stance_name(tactful_assessment_stance(a)) != NULL);
    CHECK(tactful_style_name(tactful_assessment_style(a)) != NULL);
    CHECK(tactful_approach_name(tactful_assessment_approach(a)) != NULL);
    CHECK(tactful_empathy_name(tactful_assessment_empathy(a)) != NULL);
    CHECK(tactful_assessment_sentiment(a) >= -1.0 && tactful_assessment_sentiment(a) <= 1.0);
    CHECK(tactful_assessment_escalation_risk(a) >= 0.0 && tactful_assessment_escalation_risk(a) <= 1.0);
    CHECK(tactful_assessment_churn_risk(a) >= 0.0 && tactful_assessment_churn_risk(a) <= 1.0);
    CHECK(tactful_assessment_emotion_intensity(a) >= 0.0 && tactful_assessment_emotion_intensity(a) <= 1.0);
    for (i = 0; i <= TACTFUL_EMOTION_POSITIVE; i++) total += tactful_assessment_emotion_score(a, (uint32_t)i);
    CHECK(total > 0.999 && total < 1.001);
    CHECK(tactful_assessment_emotion_score(a, 99) != tactful_assessment_emotion_score(a, 99));
    nflags = tactful_assessment_flag_count(a);
    for (i = 0; i < nflags; i++) {
        tactful_flag f = tactful_assessment_flag_at(a, i);
        CHECK(tactful_flag_name(f) != NULL);
        CHECK(tactful_assessment_has_flag(a, f));
    }
    CHECK(tactful_assessment_flag_at(a, nflags) == TACTFUL_FLAG_UNKNOWN);
    CHECK_RESULT(tactful_assessment_opening(a, &opening), TACTFUL_RESULT_OK);
    CHECK(opening != NULL);
    printf("opening: %s\n", opening != NULL ? opening : "(null)");
    tactful_string_free(opening);
    tactful_assessment_free(a);
    tactful_context_free(c);
}

static void test_batch_and_clone(const tactful_engine *engine) {
    const char *texts[4];
    size_t lens[4];
    tactful_assessment *outs[4];
    tactful_result results[4];
    tactful_engine *clone = tactful_engine_clone(engine);
    int i;
    texts[0] = "Where is my parcel? It was due on Monday.";
    texts[1] = "caf\xc3";
    texts[2] = NULL;
    texts[3] = "   ";
    for (i = 0; i < 4; i++) lens[i] = texts[i] != NULL ? strlen(texts[i]) : 3;
    CHECK(clone != NULL);
    CHECK_RESULT(tactful_engine_assess_batch(clone, texts, lens, 4, NULL, outs, results), TACTFUL_RESULT_OK);
    CHECK(results[0] == TACTFUL_RESULT_OK && outs[0] != NULL);
    CHECK(results[1] == TACTFUL_RESULT_INVALID_UTF8 && outs[1] == NULL);
    CHECK(results[2] == TACTFUL_RESULT_NULL_PARAMETER && outs[2] == NULL);
    CHECK(results[3] == TACTFUL_RESULT_EMPTY_INPUT && outs[3] == NULL);
    for (i = 0; i < 4; i++) tactful_assessment_free(outs[i]);
    CHECK_RESULT(tactful_engine_assess_batch(clone, texts, lens, 0, NULL, outs, results), TACTFUL_RESULT_OK);
    tactful_engine_free(clone);
}

static void test_review_and_conversation(const tactful_engine *engine) {
    const char *customer = "Someone took $450 from my card, I did not make this payment!";
    const char *draft = "We apologize for any inconvenience. Please be advised that you should have kept your card safe.";
    tactful_review *r = NULL;
    tactful_conversation *conv = NULL;
    tactful_turn *t = NULL;
    char *json = NULL;
    size_t i, n;
    const char *turns[4] = {"My card was charged twice for order 4411!", "I'm so sorry you feel that way.",
                            "Stop apologizing and just fix it!",
                            "I've refunded the second charge; you'll see it within 3 days."};

    CHECK_RESULT(tactful_engine_review_reply(engine, customer, strlen(customer), draft, strlen(draft), NULL, &r),
                 TACTFUL_RESULT_OK);
    CHECK(tactful_review_score(r) >= 0 && tactful_review_score(r) <= 100);
    CHECK(tactful_approach_name(tactful_review_approach(r)) != NULL);
    CHECK(tactful_empathy_name(tactful_review_expected_empathy(r)) != NULL);
    CHECK(tactful_review_empathy_total(r) >= 0 && tactful_review_empathy_total(r) <= 6);
    n = tactful_review_finding_count(r);
    for (i = 0; i < n; i++) {
        const char *code = tactful_review_finding_code(r, i);
        CHECK(code != NULL && tactful_review_has_finding(r, code, strlen(code)));
        CHECK(tactful_review_finding_message(r, i) != NULL);
        CHECK(tactful_review_finding_severity(r, i) <= TACTFUL_SEVERITY_PROBLEM);
    }
    CHECK(tactful_review_finding_code(r, n) == NULL);
    CHECK(tactful_review_finding_severity(r, n) == TACTFUL_SEVERITY_UNKNOWN);
    n = tactful_review_suggestion_count(r);
    for (i = 0; i < n; i++) CHECK(tactful_review_suggestion_at(r, i) != NULL);
    CHECK(tactful_review_suggestion_at(r, n) == NULL);
    CHECK_RESULT(tactful_review_to_json(r, &json), TACTFUL_RESULT_OK);
    CHECK(json != NULL && strstr(json, "\"score\"") != NULL);
    tactful_string_free(json);
    CHECK(tactful_review_findings_omitted(r) == 0);
    tactful_review_free(r);
    r = NULL;
    {
        /* 99 repeated words: 20 findings of the code are kept, the other 79 counted. */
        char many[700];
        size_t k, len = 0;
        for (k = 0; k < 99; k++) {
            memcpy(many + len, "order ", 6);
            len += 6;
        }
        memcpy(many + len, "order.", 6);
        len += 6;
        CHECK_RESULT(tactful_engine_review_reply(engine, "Where is my order?", 18, many, len, NULL, &r),
                     TACTFUL_RESULT_OK);
        CHECK(tactful_review_findings_omitted(r) == 79);
        tactful_review_free(r);
        r = NULL;
    }
    CHECK_RESULT(tactful_engine_review_reply(engine, customer, strlen(customer), "", 0, NULL, &r), TACTFUL_RESULT_EMPTY_INPUT);
    CHECK_RESULT(tactful_engine_review_reply(NULL, customer, 1, draft, 1, NULL, &r), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_review_reply(engine, NULL, 1, draft, 1, NULL, &r), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_review_reply(engine, customer, 1, NULL, 1, NULL, &r), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_review_reply(engine, customer, 1, draft, 1, NULL, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_engine_review_reply_for(engine, NULL, draft, 1, NULL, &r), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK(r == NULL);
    CHECK(tactful_review_score(NULL) == -1);
    CHECK(tactful_review_approach(NULL) == TACTFUL_APPROACH_UNKNOWN);
    CHECK(tactful_review_finding_count(NULL) == 0);
    CHECK(tactful_review_findings_omitted(NULL) == 0);
    CHECK(tactful_review_finding_code(NULL, 0) == NULL);
    CHECK(tactful_review_suggestion_count(NULL) == 0);
    CHECK(!tactful_review_has_finding(NULL, "blame", 5));
    CHECK_RESULT(tactful_review_to_json(NULL, &json), TACTFUL_RESULT_NULL_PARAMETER);
    tactful_review_free(NULL);

    CHECK_RESULT(tactful_conversation_new(engine, NULL, &conv), TACTFUL_RESULT_OK);
    CHECK(tactful_conversation_approach(conv) == TACTFUL_APPROACH_UNKNOWN);
    for (i = 0; i < 4; i++) {
        int customer_turn = i % 2 == 0;
        t = NULL;
        if (customer_turn) {
            CHECK_RESULT(tactful_conversation_push_customer(conv, turns[i], strlen(turns[i]), (int64_t)(30 * i), &t),
                         TACTFUL_RESULT_OK);
            CHECK(tactful_turn_assessment(t) != NULL && tactful_turn_review(t) == NULL);
            CHECK(tactful_assessment_category(tactful_turn_assessment(t)) != NULL);
        } else {
            CHECK_RESULT(tactful_conversation_push_agent(conv, turns[i], strlen(turns[i]), (int64_t)(30 * i), &t),
                         TACTFUL_RESULT_OK);
            CHECK(tactful_turn_review(t) != NULL && tactful_turn_assessment(t) == NULL);
            CHECK(tactful_review_score(tactful_turn_review(t)) >= 0);
        }
        CHECK(tactful_turn_index(t) == i);
        CHECK_RESULT(tactful_turn_to_json(t, &json), TACTFUL_RESULT_OK);
        CHECK(json != NULL && json[0] == '{');
        tactful_string_free(json);
        tactful_turn_free(t);
    }
    CHECK(tactful_conversation_turn_count(conv) == 4);
    CHECK(tactful_conversation_approach(conv) != TACTFUL_APPROACH_UNKNOWN);
    CHECK(tactful_conversation_heat(conv) >= 0.0 && tactful_conversation_heat(conv) <= 1.0);
    CHECK(tactful_conversation_empathy_landed(conv) >= -1 && tactful_conversation_empathy_landed(conv) <= 1);
    (void)tactful_conversation_action_mode(conv);
    (void)tactful_conversation_offer_supervisor(conv);
    (void)tactful_conversation_repetitions(conv);
    CHECK_RESULT(tactful_conversation_state_to_json(conv, &json), TACTFUL_RESULT_OK);
    CHECK(json != NULL && strstr(json, "\"turns\":4") != NULL);
    tactful_string_free(json);
    CHECK_RESULT(tactful_conversation_push_customer(conv, "again", 5, 10, NULL), TACTFUL_RESULT_INVALID_TURN);
    CHECK_RESULT(tactful_conversation_push_customer(conv, "again", 5, -1, NULL), TACTFUL_RESULT_OK);
    CHECK_RESULT(tactful_conversation_push_agent(conv, NULL, 5, -1, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_conversation_push_agent(NULL, "x", 1, -1, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_conversation_push_customer(NULL, "x", 1, -1, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_conversation_new(NULL, NULL, &conv), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_conversation_new(engine, NULL, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_conversation_state_to_json(NULL, &json), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK_RESULT(tactful_conversation_state_to_json(conv, NULL), TACTFUL_RESULT_NULL_PARAMETER);
    CHECK(tactful_conversation_turn_count(NULL) == 0);
    CHECK(tactful_conversation_heat(NULL) != tactful_conversation_heat(NULL));
    CHECK(tactful_conversation_empathy_landed(NULL) == -1);
    CHECK(!tactful_conversation_action_mode(NULL));
    CHECK(!tactful_conversation_offer_supervisor(NULL));
    CHECK(tactful_conversation_repetitions(NULL) == 0);
    CHECK(tactful_conversation_approach(NULL) == TACTFUL_APPROACH_UNKNOWN);
    CHECK(tactful_turn_index(NULL) == 0);
    CHECK(tactful_turn_assessment(NULL) == NULL);
    CHECK(tactful_turn_review(NULL) == NULL);
    CHECK_RESULT(tactful_turn_to_json(NULL, &json), TACTFUL_RESULT_NULL_PARAMETER);
    tactful_turn_free(NULL);
    tactful_conversation_free(NULL);
    tactful_conversation_free(conv);
}

int main(int argc, char **argv) {
    tactful_engine *engine = NULL;
    int big = argc > 2 && strcmp(argv[2], "big") == 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s REFERENCE.tsv [big]\n", argv[0]);
        return 2;
    }
    test_version();
    CHECK_RESULT(tactful_engine_new(&engine), TACTFUL_RESULT_OK);
    if (engine == NULL) {
        fprintf(stderr, "cannot build the default engine\n");
        return 1;
    }
    test_golden(engine, argv[1]);
    test_nulls(engine);
    test_bad_text(engine, big);
    test_playbooks();
    test_context_and_accessors(engine);
    test_batch_and_clone(engine);
    test_review_and_conversation(engine);
    tactful_engine_free(engine);
    printf("test_abi: %d checks ok, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
