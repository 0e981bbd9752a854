# Sourced by run.sh and train.sh on the GPU machine: unpacks the JRE, builds DJL 0.33's JNI
# against that machine's own libtorch and exports what DJL needs to load it. Sets G, O, JAVA, CP and
# stamp(); output goes to $O/log.txt as well.
G="$PWD/.gpu"
O="${OUT:-/tmp/out}"; mkdir -p "$O"
exec > >(tee "$O/log.txt") 2>&1
t0=$(date +%s)
stamp() { echo "== $(( $(date +%s) - t0 )) s: $*"; }
stamp start
nvidia-smi -L; nproc; free -g | head -2
PY=python3
T=$($PY -c 'import torch,os;print(os.path.dirname(torch.__file__))')
SP=$(dirname "$T")
$PY -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "abi", int(torch._C._GLIBCXX_USE_CXX11_ABI), torch.cuda.get_device_name(0))'
ABI=$($PY -c 'import torch;print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
TV=$($PY -c 'import torch;print(torch.__version__.split("+")[0])')
which java g++ || true; g++ --version | head -1
ls "$T/lib"
tar xJf "$G/jre.tar.xz" -C /tmp && JAVA=/tmp/jre/bin/java && $JAVA -version 2>&1 | head -1
stamp "building libdjl_torch.so against torch $TV"
STD=c++17
echo '#include <torch/torch.h>' | g++ -std=$STD -fsyntax-only -D_GLIBCXX_USE_CXX11_ABI=$ABI -I"$T/include" \
  -I"$T/include/torch/csrc/api/include" -x c++ - 2>/tmp/std.err || { STD=c++20; head -5 /tmp/std.err; }
echo "standard $STD"
B=/tmp/jnibuild; mkdir -p $B
pids=()
for f in "$G"/jni/src/*.cc; do
  n=$(basename "$f" .cc)
  [ -s $B/$n.o ] && continue
  g++ -c -O2 -fPIC -std=$STD -fpermissive -w -D_GLIBCXX_USE_CXX11_ABI=$ABI -I"$G/jni/include" -I"$G/jni/jdk" \
    -I"$G/jni/src" -I"$T/include" -I"$T/include/torch/csrc/api/include" "$f" -o $B/$n.o 2> $B/$n.err &
  pids+=($!)
done
for p in "${pids[@]}"; do wait $p; done
grep -h -m 8 -A3 'error' $B/*.err | head -80
g++ -shared -o $B/libdjl_torch.so $B/*.o -L"$T/lib" -ltorch -ltorch_cpu -lc10 -Wl,-rpath,"$T/lib" -Wl,--no-as-needed \
  || { stamp "JNI build failed"; exit 3; }
cp $B/libdjl_torch.so "$T/lib/libdjl_torch.so" || exit 4
stamp "JNI built"

CUDART=$(find "$SP/nvidia" /usr/local/cuda/lib64 -name 'libcudart.so*' 2>/dev/null | head -1)
mkdir -p /tmp/cudart && ln -sf "$CUDART" /tmp/cudart/libcudart.so && echo "cudart $CUDART"
export PYTORCH_LIBRARY_PATH="$T/lib" PYTORCH_VERSION="$TV" PYTORCH_FLAVOR=cu130
export PYTORCH_LIBRARY_EXCLUSION=libtorchbind_test.so,libjitbackend_test.so,libbackend_with_compiler.so,libaoti_custom_ops.so
CP=$(ls "$G"/lib/*.jar | tr '\n' ':')
