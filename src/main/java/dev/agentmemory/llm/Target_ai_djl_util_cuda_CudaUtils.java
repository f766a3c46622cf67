package dev.agentmemory.llm;

import ai.djl.util.cuda.CudaLibrary;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * In the native executable, the in-process embedding model runs on the CPU without asking CUDA. DJL's tokenizer
 * counts the GPUs through JNA before it loads its library, and JNA does not work in a native executable: where a
 * CUDA runtime is installed, the count failed with an {@code UnsatisfiedLinkError} and the model did not load. Here
 * there is no CUDA library and no GPU, so JNA is not reached at all. The JVM keeps DJL's own probe.
 */
@TargetClass(className = "ai.djl.util.cuda.CudaUtils")
final class Target_ai_djl_util_cuda_CudaUtils {

    @Substitute
    private static CudaLibrary loadLibrary() {
        return null;
    }

    @Substitute
    public static int getGpuCount() {
        return 0;
    }
}
