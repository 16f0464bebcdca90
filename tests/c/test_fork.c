/*
 * tactful_engine_assess_batch in a fork()ed child: the parent runs a batch first (so any
 * thread pool the library kept would exist), forks, and the child runs a batch under alarm():
 * a child that waits on the parent's vanished threads is killed by SIGALRM and the test fails
 * instead of hanging. The child's answers must equal the parent's, and the parent must still
 * work after the fork. Compiled with -std=c99 -Wall -Wextra -Werror -pthread.
 *
 * Usage: test_fork [SECONDS]   (the child's time limit, default 60)
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tactful.h"

/* More items than two threads' minimum share (2 x 32), so the batch really goes parallel. */
#define COUNT 96

static const char *base[3] = {
    "Someone used my card abroad and took $900, block it now!",
    "Thank you so much, the new router works perfectly!",
    "Where is my order #88812? It was due on May 3.",
};

static const char *texts[COUNT];
static size_t lens[COUNT];

/* Runs one batch; writes each item's category initial into `sig` (COUNT chars + NUL). */
static int batch(const tactful_engine *engine, char *sig) {
    tactful_assessment *out[COUNT];
    tactful_result res[COUNT];
    if (tactful_engine_assess_batch(engine, texts, lens, COUNT, NULL, out, res) != TACTFUL_RESULT_OK) {
        fprintf(stderr, "batch call failed\n");
        return 1;
    }
    int bad = 0;
    for (int i = 0; i < COUNT; i++) {
        if (res[i] != TACTFUL_RESULT_OK || out[i] == NULL) {
            fprintf(stderr, "item %d: result %d\n", i, (int)res[i]);
            bad = 1;
            sig[i] = '?';
            continue;
        }
        const char *cat = tactful_assessment_category(out[i]);
        sig[i] = cat != NULL ? cat[0] : '?';
        tactful_assessment_free(out[i]);
    }
    sig[COUNT] = '\0';
    return bad;
}

int main(int argc, char **argv) {
    unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 60;
    for (int i = 0; i < COUNT; i++) {
        texts[i] = base[i % 3];
        lens[i] = strlen(texts[i]);
    }
    tactful_engine *engine = NULL;
    if (tactful_engine_new(&engine) != TACTFUL_RESULT_OK) {
        fprintf(stderr, "tactful_engine_new failed\n");
        return 1;
    }
    char before[COUNT + 1];
    if (batch(engine, before) != 0) {
        return 1;
    }
    if (strchr(before, '?') != NULL || before[0] != 'f') {
        fprintf(stderr, "unexpected parent answers: %s\n", before);
        return 1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        alarm(seconds); /* default action of SIGALRM: terminate, reported below */
        char child[COUNT + 1];
        int rc = batch(engine, child);
        if (rc == 0 && strcmp(child, before) != 0) {
            fprintf(stderr, "child answers differ:\n  %s\n  %s\n", child, before);
            rc = 1;
        }
        tactful_engine_free(engine);
        _exit(rc);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "child killed by signal %d%s\n", WTERMSIG(status),
                WTERMSIG(status) == SIGALRM ? " (SIGALRM: the batch hung after fork)" : "");
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "child failed (status %d)\n", status);
        return 1;
    }
    /* The parent's pool still works after the fork. */
    char after[COUNT + 1];
    if (batch(engine, after) != 0 || strcmp(after, before) != 0) {
        fprintf(stderr, "parent answers changed after fork\n");
        return 1;
    }
    tactful_engine_free(engine);
    printf("fork: child batch of %d items ok, parent ok after fork\n", COUNT);
    return 0;
}
