/*
 * The float32 FMA peak of this machine, measured in C as the reference for the Java probe
 * (io.engram.bench.MachineProbe). Build: gcc -O3 -march=native -pthread fma_peak.c -o fma_peak
 *
 * Each thread runs CHAINS independent chains c = c*a + b of explicit 512-bit (AVX-512) or 256-bit
 * (AVX2) FMAs. CHAINS must cover latency x pipes (4 cycles x 2 pipes on Zen 4/5 = 8; 24 is
 * plenty and still fits the 32 vector registers). The chains start from different values and the
 * results are summed and printed, so nothing can be merged or removed. Flops counted: 2 per lane
 * per FMA. It also estimates the core clock with a chain of dependent integer adds (1 cycle each)
 * and prints FLOP/cycle.
 *
 * Usage: fma_peak [threads...]   (default: 1 and the number of online CPUs)
 * Output (one line per width and thread count, then the clock):
 *   fma512 threads=1 gflops=123.4
 *   fma256 threads=1 gflops=61.7
 *   clock_ghz=3.67
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CHAINS 24
#define ITERS 50000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct {
  int wide;
  float sink;
} job;

#define FMA_BODY(V, SET1, FMADD, ADD, STORE, LANES)                                   \
  {                                                                                  \
    V a = SET1(0.999f), b = SET1(1e-7f), c[CHAINS];                                  \
    for (int j = 0; j < CHAINS; j++) c[j] = SET1(1.0f + j * 1e-3f);                  \
    for (long i = 0; i < ITERS; i++) {                                               \
      _Pragma("GCC unroll 24") for (int j = 0; j < CHAINS; j++) c[j] = FMADD(c[j], a, b); \
    }                                                                                \
    V s = c[0];                                                                      \
    for (int j = 1; j < CHAINS; j++) s = ADD(s, c[j]);                               \
    float out[LANES];                                                                \
    STORE(out, s);                                                                   \
    float t = 0;                                                                     \
    for (int j = 0; j < LANES; j++) t += out[j];                                     \
    jb->sink = t;                                                                    \
  }

static void *run(void *arg) {
  job *jb = (job *)arg;
  if (jb->wide) {
    FMA_BODY(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, _mm512_storeu_ps, 16)
  } else {
    FMA_BODY(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_storeu_ps, 8)
  }
  return NULL;
}

static double peak(int threads, int wide) {
  double best = 0;
  for (int rep = 0; rep < 3; rep++) {
    pthread_t ts[threads];
    job jobs[threads];
    double t0 = now();
    for (int t = 0; t < threads; t++) {
      jobs[t].wide = wide;
      pthread_create(&ts[t], NULL, run, &jobs[t]);
    }
    float sink = 0;
    for (int t = 0; t < threads; t++) {
      pthread_join(ts[t], NULL);
      sink += jobs[t].sink;
    }
    double dt = now() - t0;
    if (sink != sink) abort();
    double flops = 2.0 * CHAINS * (wide ? 16 : 8) * ITERS * threads;
    if (flops / dt > best) best = flops / dt;
  }
  return best / 1e9;
}

/* cycles: 1e8 x 8 dependent integer adds, 1 cycle of latency each */
static double clock_ghz(void) {
  double best = 0;
  for (int rep = 0; rep < 3; rep++) {
    long x = 0;
    double t0 = now();
    for (long i = 0; i < 100000000L; i++) {
      __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                       "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                       : "+r"(x));
    }
    double dt = now() - t0;
    double ghz = 8e8 / dt / 1e9;
    if (ghz > best) best = ghz;
  }
  return best;
}

int main(int argc, char **argv) {
  int counts[8];
  int nc = 0;
  for (int i = 1; i < argc && nc < 8; i++) counts[nc++] = atoi(argv[i]);
  if (nc == 0) {
    counts[nc++] = 1;
    counts[nc++] = (int)sysconf(_SC_NPROCESSORS_ONLN);
  }
  for (int i = 0; i < nc; i++) {
    printf("fma512 threads=%d gflops=%.1f\n", counts[i], peak(counts[i], 1));
    fflush(stdout);
  }
  printf("fma256 threads=1 gflops=%.1f\n", peak(1, 0));
  printf("clock_ghz=%.2f\n", clock_ghz());
  return 0;
}
