/*
 * Per-call cost of tactful_engine_assess measured from C (clock_gettime, one thread), for the
 * same texts and context as the criterion bench benches/ffi_assess.rs, which measures the
 * direct Rust call next to the C ABI call. Each iteration assesses, reads one field and frees,
 * which is what a caller pays.
 *
 *   bash benches/ffi_bench.sh            # builds, runs this program and the criterion bench
 *   ffi_assess [ITERATIONS]               # default 20000 per text
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tactful.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    const char *names[2] = {"short", "paragraph"};
    const char *texts[2] = {
        "Someone used my card abroad and took $900, block it now!",
        "I have called three times about order #88812 and nobody has fixed it. The blender arrived "
        "cracked, I paid 349 EUR for it, and now I am told to wait another two weeks for a "
        "replacement. This is not acceptable. If this is not sorted by Friday I will dispute the "
        "charge with my bank and post about it everywhere.",
    };
    const char *ctx_json = "{\"channel\":\"chat\",\"customer_name\":\"Maria\"}";
    long iterations = argc > 1 ? atol(argv[1]) : 20000;
    tactful_engine *engine = NULL;
    tactful_context *ctx = NULL;
    unsigned long sink = 0;
    int k;
    if (tactful_engine_new(&engine) != TACTFUL_RESULT_OK ||
        tactful_context_from_json(ctx_json, strlen(ctx_json), &ctx) != TACTFUL_RESULT_OK) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    for (k = 0; k < 2; k++) {
        size_t len = strlen(texts[k]);
        long i;
        double best = 1e30;
        int round;
        /* Best of 5 rounds: the machine is shared, the minimum is the least disturbed. */
        for (round = 0; round < 5; round++) {
            double start = now_ns(), per_call;
            for (i = 0; i < iterations / 5; i++) {
                tactful_assessment *a = NULL;
                if (tactful_engine_assess(engine, texts[k], len, ctx, &a) != TACTFUL_RESULT_OK) {
                    fprintf(stderr, "assess failed\n");
                    return 1;
                }
                sink += tactful_assessment_urgency(a);
                tactful_assessment_free(a);
            }
            per_call = (now_ns() - start) / (double)(iterations / 5);
            if (per_call < best) best = per_call;
        }
        printf("c_abi_from_c/%s (%lu bytes): %.2f us per assess\n", names[k], (unsigned long)len,
               best / 1000.0);
    }
    tactful_context_free(ctx);
    tactful_engine_free(engine);
    return sink == 0xffffffffUL ? 2 : 0;
}
