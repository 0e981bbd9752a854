/**
 * The trainer stage: training loops (losses, optimizers, checkpoint publishing) for the VAE, the
 * DiT and the captioner, run on Spark executors. Lands with issues 4 to 6.
 */
package ying.trainer;
