using Microsoft.Diagnostics.Tracing.Etlx;

namespace AllocReport;

/// <summary>
/// Names the code responsible for an allocation: the leaf-most frame outside the .NET runtime
/// libraries. The leaf itself is usually a List.Grow or a string.Concat in System.Private.CoreLib,
/// which says nothing about which part of Bulwark, Akka or MimeKit asked for the memory.
/// </summary>
public static class Attribution
{
    public const string RuntimeOnly = "(runtime frames only)";

    public static string FirstOwnFrame(TraceCallStack? stack)
    {
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            var address = frame.CodeAddress;
            var module = address.ModuleName;
            // Frames without a module are native runtime code (the allocator, stubs).
            if (string.IsNullOrEmpty(module) || IsRuntimeModule(module))
                continue;
            return Name(address);
        }
        return RuntimeOnly;
    }

    /// <summary>The leaf-most managed frame, whatever its module.</summary>
    public static string Leaf(TraceCallStack? stack)
    {
        for (var frame = stack; frame is not null; frame = frame.Caller)
            if (!string.IsNullOrEmpty(frame.CodeAddress.ModuleName))
                return Name(frame.CodeAddress);
        return "(no managed frame)";
    }

    // module!Namespace.Type.Method, without the parameter list: the signatures of generic
    // and async methods make the tables unreadable, and overloads rarely matter here.
    private static string Name(TraceCodeAddress address)
    {
        var method = address.FullMethodName;
        if (string.IsNullOrEmpty(method))
            method = "?";
        else if (method.IndexOf('(') is > 0 and var paren)
            method = method[..paren];
        return $"{address.ModuleName}!{method}";
    }

    /// <summary>The shared framework: CoreLib, System.*, and a few older names.</summary>
    public static bool IsRuntimeModule(string module) =>
        module is "System" or "mscorlib" or "netstandard" or "coreclr" or "libcoreclr" or "libclrjit"
        || module.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
        || module.StartsWith("Microsoft.Win32.", StringComparison.OrdinalIgnoreCase);
}
