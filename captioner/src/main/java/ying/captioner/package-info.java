/**
 * The captioner stage: a video-understanding model (DJL) and the Spark job that cuts raw videos
 * into clips and writes dense, time-stamped captions to Parquet. Lands with issue 4.
 */
package ying.captioner;
