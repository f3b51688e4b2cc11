/**
 * The numerical kernels (internal, not exported): the {@link io.engram.kernels.Kernels} facade
 * checks arguments and delegates to one small class per operation family (blocked matrix product,
 * symmetric rank-k update, parallel loops), which run on the primitive operations of a kernel
 * provider: the Vector API (SIMD, loaded by reflection when {@code jdk.incubator.vector} is
 * present) or plain Java (always available, and the reference the SIMD kernels are tested against).
 */
package io.engram.kernels;
