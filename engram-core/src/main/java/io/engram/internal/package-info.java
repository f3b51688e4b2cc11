/**
 * Helpers shared by the library and its command line that are not API: a small, strict JSON reader
 * and writer for model metadata and reports. Not exported to users.
 */
package io.engram.internal;
