/*
 * 8 threads share one engine (half of them through their own tactful_engine_clone handle) and
 * make CALLS assessments in total; every thread must get exactly the answers a single thread
 * got for the same texts. Compiled with -std=c99 -Wall -Wextra -Werror -pthread.
 *
 * Usage: test_threads [CALLS]   (default 100000; tests/c/run.sh passes a small count under
 * valgrind, which is ~30x slower)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tactful.h"

#define THREADS 8
#define TEXTS 6

static const char *texts[TEXTS] = {
    "Someone used my card abroad and took $900, block it now!",
    "Thank you so much, the new router works perfectly!",
    "I want to cancel my subscription, you are too expensive.",
    "Where is my order #88812? It was due on May 3.",
    "I am SO tired of this. Third time I call and nobody listens.",
    "Hi, what are your opening hours on Sunday?",
};

static char *expected[TEXTS]; /* JSON of each text from the main thread */

struct job {
    const tactful_engine *engine;
    tactful_engine *own; /* a clone this thread owns, or NULL */
    const tactful_context *ctx;
    long calls;
    long failures;
};

static void *work(void *arg) {
    struct job *job = (struct job *)arg;
    const tactful_engine *engine = job->own != NULL ? job->own : job->engine;
    long i;
    for (i = 0; i < job->calls; i++) {
        int k = (int)(i % TEXTS);
        tactful_assessment *a = NULL;
        tactful_result r = tactful_engine_assess(engine, texts[k], strlen(texts[k]), job->ctx, &a);
        if (r != TACTFUL_RESULT_OK) {
            job->failures++;
            continue;
        }
        /* Compare the full JSON on a sample of calls, the labels on all of them. */
        if (i % 97 == 0) {
            char *json = NULL;
            if (tactful_assessment_to_json(a, &json) != TACTFUL_RESULT_OK ||
                strcmp(json, expected[k]) != 0) {
                job->failures++;
            }
            tactful_string_free(json);
        } else if (tactful_assessment_category(a) == NULL ||
                   tactful_assessment_approach(a) == TACTFUL_APPROACH_UNKNOWN) {
            job->failures++;
        }
        tactful_assessment_free(a);
    }
    tactful_engine_free(job->own);
    return NULL;
}

int main(int argc, char **argv) {
    long total = argc > 1 ? atol(argv[1]) : 100000;
    tactful_engine *engine = NULL;
    tactful_context *ctx = NULL;
    const char *ctx_json = "{\"channel\":\"chat\",\"customer_name\":\"Maria\",\"prior_contacts\":1}";
    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    long failures = 0, done = 0;
    int t, k;

    if (tactful_engine_new(&engine) != TACTFUL_RESULT_OK ||
        tactful_context_from_json(ctx_json, strlen(ctx_json), &ctx) != TACTFUL_RESULT_OK) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    for (k = 0; k < TEXTS; k++) {
        tactful_assessment *a = NULL;
        if (tactful_engine_assess(engine, texts[k], strlen(texts[k]), ctx, &a) != TACTFUL_RESULT_OK ||
            tactful_assessment_to_json(a, &expected[k]) != TACTFUL_RESULT_OK) {
            fprintf(stderr, "reference assess failed\n");
            return 1;
        }
        tactful_assessment_free(a);
    }
    for (t = 0; t < THREADS; t++) {
        jobs[t].engine = engine;
        jobs[t].own = (t % 2 == 0) ? tactful_engine_clone(engine) : NULL;
        jobs[t].ctx = ctx;
        jobs[t].calls = total / THREADS + (t < total % THREADS ? 1 : 0);
        jobs[t].failures = 0;
        if (pthread_create(&threads[t], NULL, work, &jobs[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    for (t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        failures += jobs[t].failures;
        done += jobs[t].calls;
    }
    for (k = 0; k < TEXTS; k++) tactful_string_free(expected[k]);
    tactful_context_free(ctx);
    tactful_engine_free(engine);
    printf("test_threads: %d threads, %ld calls on one engine, %ld wrong or failed\n", THREADS, done,
           failures);
    return failures == 0 && done == total ? 0 : 1;
}
