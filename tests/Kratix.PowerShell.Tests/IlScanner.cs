using System.Reflection;
using System.Reflection.Emit;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// Lists the methods a type's code calls, by walking the IL of every method it declares, including the compiler-made
/// closures and iterators nested in it (a lambda passed to WithPlatform lives there). Enough to tell whether a cmdlet
/// ever calls ShouldProcess, without running it.
/// </summary>
internal static class IlScanner
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IEnumerable<MethodBase> CalledBy(Type type)
    {
        var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));
        foreach (var method in methods)
        {
            foreach (var called in CalledBy(method))
            {
                yield return called;
            }
        }

        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
        {
            foreach (var called in CalledBy(nested))
            {
                yield return called;
            }
        }
    }

    /// <summary>
    /// What a cmdlet's code calls, following calls into the module's own base classes of it (a shared helper such as
    /// KratixCmdlet.ForEachManifest calls ShouldProcess for the cmdlets that use it).
    /// </summary>
    public static IEnumerable<MethodBase> CalledThroughBaseClasses(Type type)
    {
        var seen = new HashSet<MethodBase>();
        var pending = new Queue<MethodBase>(CalledBy(type));
        while (pending.TryDequeue(out var called))
        {
            if (!seen.Add(called))
            {
                continue;
            }

            yield return called;
            if (called.DeclaringType is { } owner && owner != type && owner.Assembly == type.Assembly && owner.IsAssignableFrom(type))
            {
                foreach (var next in CalledBy(called))
                {
                    pending.Enqueue(next);
                }
            }
        }
    }

    public static IEnumerable<MethodBase> CalledBy(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            OpCode op;
            if (il[i] == 0xFE)
            {
                op = OpCodesByValue[unchecked((short)(0xFE00 | il[i + 1]))];
                i += 2;
            }
            else
            {
                op = OpCodesByValue[il[i]];
                i += 1;
            }

            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineMethod:
                    var called = Resolve(method.Module, BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    i += 4;
                    if (called is not null)
                    {
                        yield return called;
                    }

                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or MissingMemberException or BadImageFormatException or FileNotFoundException)
        {
            return null;
        }
    }
}
