/*
 * triage — reads customer messages from standard input, one per line, and prints for each the
 * category, urgency, approach and suggested opening line. C99, written only from tactful.h.
 *
 *   cc -std=c99 -Iinclude examples/c/triage.c -Ltarget/release -ltactful -o triage
 *   printf 'My card was stolen!\nThanks, all fixed.\n' | LD_LIBRARY_PATH=target/release ./triage
 *
 * Pass a context as JSON in the first argument to apply it to every message:
 *   ./triage '{"channel":"chat","customer_name":"Maria"}'
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tactful.h"

/* Prints the failed call's result and the library's detail, then frees the detail. */
static void report(const char *what, tactful_result r) {
    char *detail = tactful_last_error_message();
    fprintf(stderr, "triage: %s: %s (%s)\n", what, tactful_result_message(r),
            detail != NULL ? detail : "no detail");
    tactful_string_free(detail);
}

/* Reads one line of any length without its newline; NULL at end of input. Free it. */
static char *read_line(FILE *in, size_t *len_out) {
    size_t cap = 512, len = 0;
    char *buf = (char *)malloc(cap);
    int c;
    if (buf == NULL) return NULL;
    while ((c = fgetc(in)) != EOF && c != '\n') {
        if (len + 1 >= cap) {
            char *bigger = (char *)realloc(buf, cap *= 2);
            if (bigger == NULL) {
                free(buf);
                return NULL;
            }
            buf = bigger;
        }
        buf[len++] = (char)c;
    }
    if (c == EOF && len == 0) {
        free(buf);
        return NULL;
    }
    if (len > 0 && buf[len - 1] == '\r') len--;
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

int main(int argc, char **argv) {
    tactful_engine *engine = NULL;
    tactful_context *ctx = NULL;
    tactful_result r;
    char *line;
    size_t len = 0;
    int failures = 0;

    if (tactful_abi_version() != TACTFUL_ABI_VERSION) {
        fprintf(stderr, "triage: built for ABI %d, library has ABI %u\n", TACTFUL_ABI_VERSION,
                (unsigned)tactful_abi_version());
        return 1;
    }
    r = tactful_engine_new(&engine);
    if (r != TACTFUL_RESULT_OK) {
        report("engine", r);
        return 1;
    }
    if (argc > 1) {
        r = tactful_context_from_json(argv[1], strlen(argv[1]), &ctx);
        if (r != TACTFUL_RESULT_OK) {
            report("context", r);
            tactful_engine_free(engine);
            return 1;
        }
    }
    while ((line = read_line(stdin, &len)) != NULL) {
        tactful_assessment *a = NULL;
        char *opening = NULL;
        r = tactful_engine_assess(engine, line, len, ctx, &a);
        if (r == TACTFUL_RESULT_EMPTY_INPUT) {
            free(line);
            continue; /* blank line */
        }
        if (r != TACTFUL_RESULT_OK) {
            report("assess", r);
            failures++;
            free(line);
            continue;
        }
        if (tactful_assessment_opening(a, &opening) != TACTFUL_RESULT_OK) opening = NULL;
        printf("%s\t%s\t%s\t%s\n", tactful_assessment_category(a),
               tactful_urgency_name(tactful_assessment_urgency(a)),
               tactful_approach_name(tactful_assessment_approach(a)),
               opening != NULL ? opening : "");
        tactful_string_free(opening);
        tactful_assessment_free(a);
        free(line);
    }
    tactful_context_free(ctx);
    tactful_engine_free(engine);
    return failures == 0 ? 0 : 1;
}
