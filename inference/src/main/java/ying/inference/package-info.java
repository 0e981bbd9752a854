/**
 * The inference stage: the 3D causal VAE, the expert DiT, the samplers and video generation from a
 * published checkpoint. Lands with issues 5 and 6.
 */
package ying.inference;
