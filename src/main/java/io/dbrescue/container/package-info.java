/**
 * Podman containers for old server versions: images (pulled, or derived with the locales a cluster needs), the {@code podman run} command line, and the steps that start, wait for and remove a run's containers.
 */
package io.dbrescue.container;
