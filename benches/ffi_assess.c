/*
 * Per-call cost of tactful_engine_assess measured from C (clock_gettime, one thread), for the
 * same texts and context as benches/ffi_overhead.rs and benches/ffi_assess.rs, which measure
 * the direct Rust call next to the C ABI call. Each call assesses, reads one field and frees,
 * which is what a caller pays; the median per call is printed next to the mean.
 *
 *   bash benches/ffi_bench.sh            # builds, runs this program and the criterion bench
 *   ffi_assess [ITERATIONS]               # default 20000 calls per text
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

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
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
        double *ns = (double *)malloc(sizeof(double) * (size_t)iterations);
        double total = 0.0;
        if (ns == NULL) return 1;
        for (i = -1000; i < iterations; i++) { /* 1000 warm-up calls */
            tactful_assessment *a = NULL;
            double start = now_ns();
            if (tactful_engine_assess(engine, texts[k], len, ctx, &a) != TACTFUL_RESULT_OK) {
                fprintf(stderr, "assess failed\n");
                return 1;
            }
            sink += tactful_assessment_urgency(a);
            tactful_assessment_free(a);
            if (i >= 0) {
                ns[i] = now_ns() - start;
                total += ns[i];
            }
        }
        /* The median is the undisturbed cost on a shared machine; the mean includes preemption. */
        qsort(ns, (size_t)iterations, sizeof(double), by_value);
        printf("c_abi_from_c/%s (%lu bytes): median %.2f us, mean %.2f us per assess (%ld calls)\n",
               names[k], (unsigned long)len, ns[iterations / 2] / 1000.0,
               total / (double)iterations / 1000.0, iterations);
        free(ns);
    }
    tactful_context_free(ctx);
    tactful_engine_free(engine);
    return sink == 0xffffffffUL ? 2 : 0;
}
