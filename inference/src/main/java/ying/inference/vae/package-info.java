/**
 * The 3D causal VAE (CogVideoX, 3.1): video {@code [B, 3, 1+4k, H, W]} in [-1, 1] to latents
 * {@code [B, 16, 1+k, H/8, W/8]} and back. {@link ying.inference.vae.VaeModel} is the entry point
 * (create, load, save, encode, chunked decode); {@link ying.inference.vae.VaeConfig} its shape;
 * {@link ying.inference.vae.VideoTensors} converts the dataset's uint8 frames.
 */
package ying.inference.vae;
