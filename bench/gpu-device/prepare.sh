#!/usr/bin/env bash
# Makes the payload .gpu/ (git-ignored) for bench/gpu-device/run.sh and train.sh: a small JRE (jlink),
# the bench's classes with only the jars GpuCheck and the raw-clip trainers load (Spark's TaskContext and the Scala classes behind it cut out of
# their jars), and DJL 0.33's JNI sources with its generated header, to be compiled there.
#   bench/gpu-device/prepare.sh DJL_GIT_DIR     (a clone of github.com/deepjavalibrary/djl, tag v0.33.0)
#   CLIPS=clips.raw INIT=models/vae/3 bench/gpu-device/prepare.sh DJL_GIT_DIR   (also train.sh's data)
# The device tool carries at most 64 MiB with the working tree: the script ends by checking that.
set -euo pipefail
djl="$(cd "$1" && pwd)"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
m2="${M2_REPO:-$HOME/.m2/repository}"
mvn -q -B -o -DskipTests -pl bench -am package
rm -rf .gpu && mkdir -p .gpu/lib .gpu/jni/src .gpu/jni/include/djl .gpu/jni/jdk
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude

jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
# java.desktop: the synthetic world renders with Java2D (RenderedClips). No jlink compression: xz packs
# the plain image far tighter than it packs jlink's zipped one.
"$jdk/bin/jlink" --add-modules java.base,java.logging,java.sql,java.desktop,jdk.unsupported --strip-debug \
  --no-header-files --no-man-pages --output /tmp/ying-jre/jre
XZ_OPT=-9 tar cJf .gpu/jre.tar.xz -C /tmp/ying-jre jre && rm -rf /tmp/ying-jre

for m in core captioner trainer inference bench; do ls "$m"/target/ying-*.jar | grep -v -- '-app.jar$' | xargs -I{} cp {} .gpu/lib/; done
tr ':' '\n' < bench/target/classpath.txt | grep -E '/(api|pytorch-engine|jna|gson|slf4j-api|jackson-(core|databind|annotations)|picocli)-[0-9]' \
  | xargs -I{} cp {} .gpu/lib/
trim=$(mktemp -d)
(cd "$trim" && unzip -q "$m2/org/apache/spark/spark-core_2.13/4.0.1/spark-core_2.13-4.0.1.jar" \
    'org/apache/spark/TaskContext*' 'org/apache/spark/util/Task*Listener*' \
  && unzip -q "$m2/org/scala-lang/scala-library/2.13.16/scala-library-2.13.16.jar" 'scala/*' -x 'scala/collection/*' \
    'scala/concurrent/*' 'scala/util/*' 'scala/reflect/*' 'scala/jdk/*' 'scala/sys/*' 'scala/io/*' 'scala/math/*' \
    'scala/annotation/*' 'scala/compat/*' 'scala/beans/*' 'scala/ref/*' \
  && unzip -q "$m2/org/scala-lang/scala-library/2.13.16/scala-library-2.13.16.jar" 'scala/collection/IterableOnce*')
jar cf .gpu/lib/spark-scala-trimmed.jar -C "$trim" . && rm -rf "$trim"

native=engines/pytorch/pytorch-native/src/main/native
for f in $(git -C "$djl" ls-tree --name-only v0.33.0 "$native/"); do
  git -C "$djl" show "v0.33.0:$f" > ".gpu/jni/src/$(basename "$f")"
done
git -C "$djl" show v0.33.0:api/src/main/native/djl/utils.h > .gpu/jni/include/djl/utils.h
src=$(mktemp -d) && mkdir -p "$src/ai/djl/pytorch/jni"
git -C "$djl" show v0.33.0:engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java \
  > "$src/ai/djl/pytorch/jni/PyTorchLibrary.java"
javac -cp "$(ls .gpu/lib/api-*.jar):$(ls .gpu/lib/pytorch-engine-*.jar)" -h .gpu/jni/include -d "$src/classes" \
  "$src/ai/djl/pytorch/jni/PyTorchLibrary.java" && rm -rf "$src"
cp "$jdk/include/jni.h" "$jdk/include/linux/jni_md.h" .gpu/jni/jdk/
# Training data for train.sh (optional): raw clip files from ying.bench.ExportClips (each becomes
# /tmp/clips/NAME on the GPU machine), and checkpoint folders to start from (each becomes
# .gpu/init/MODEL-VERSION).
for f in ${CLIPS:-}; do
  mkdir -p .gpu/clips && xz -T0 -9 -c "$f" > ".gpu/clips/$(basename "$f").xz" && cp "$f.json" .gpu/clips/
done
for d in ${INIT:-}; do
  n="$(basename "$(dirname "$d")")-$(basename "$d")"
  mkdir -p ".gpu/init/$n" && cp "$d"/*.params "$d"/manifest.json ".gpu/init/$n/"
  if [ -f "$d/tokenizer.json" ]; then cp "$d/tokenizer.json" ".gpu/init/$n/"; fi
done
du -sh .gpu
tracked=$({ git ls-files -z | xargs -0 stat -c %s 2>/dev/null || true; } | awk '{s += $1} END {print s + 0}')
gpu=$(du -sb .gpu | cut -f1)
echo "payload: .gpu $gpu + tracked files $tracked = $((gpu + tracked)) bytes of $((64 << 20))"
if (( gpu + tracked > 64 << 20 )); then
  echo "too big for the device tool: de-index models/ (git rm -r -q --cached models) or pass fewer CLIPS" >&2
  exit 1
fi
