using System.Management.Automation;

namespace Kratix.PowerShell.Pester;

/// <summary>
/// The command-lookup hook that registers the Kratix Should operators once Pester 5 is there: at the first Describe,
/// Context, It, Should, BeforeAll or Invoke-Pester a session runs, it invokes <c>Kratix.Pester.psm1</c>'s registration
/// (a script block bound to that module) and, once it has registered them, takes itself out, so it costs nothing
/// afterwards. It chains to the hook that was there before it. It is C# rather than a script block because PowerShell
/// compiles a script block into a delegate to set <c>PreCommandLookupAction</c>, which cost every <c>Import-Module
/// Kratix</c> tens of milliseconds (bench (j) <c>startup</c>).
/// </summary>
public sealed class ShouldOperatorHook
{
    private static readonly HashSet<string> Triggers = new(StringComparer.OrdinalIgnoreCase) { "Describe", "Context", "It", "Should", "BeforeAll", "Invoke-Pester" };

    private readonly CommandInvocationIntrinsics _commands;
    private readonly ScriptBlock _register;
    private readonly EventHandler<CommandLookupEventArgs>? _previous;
    private readonly EventHandler<CommandLookupEventArgs> _handler;
    private bool _hooked = true;
    private bool _inLookup;

    private ShouldOperatorHook(CommandInvocationIntrinsics commands, ScriptBlock register)
    {
        _commands = commands;
        _register = register;
        _previous = commands.PreCommandLookupAction;
        _handler = OnLookup;
    }

    /// <summary>
    /// Hooks command lookup in the session of <paramref name="engine"/>; <paramref name="register"/> registers the
    /// operators when Pester 5 is loaded and outputs whether they are now registered. Returns the hook, for <see cref="Remove"/>.
    /// </summary>
    public static ShouldOperatorHook Install(EngineIntrinsics engine, ScriptBlock register)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var hook = new ShouldOperatorHook(engine.InvokeCommand, register);
        engine.InvokeCommand.PreCommandLookupAction = hook._handler;
        return hook;
    }

    /// <summary>Takes the hook out when it is the current one; when another hook was chained after it, it stays as a pass-through.</summary>
    public void Remove()
    {
        _hooked = false;
        if (ReferenceEquals(_commands.PreCommandLookupAction, _handler))
        {
            _commands.PreCommandLookupAction = _previous;
        }
    }

    private void OnLookup(object? sender, CommandLookupEventArgs e)
    {
        // Registering looks up commands too: those lookups pass straight through.
        if (_hooked && !_inLookup && Triggers.Contains(e.CommandName))
        {
            _inLookup = true;
            try
            {
                if (_register.Invoke().Any(o => o?.BaseObject is true))
                {
                    Remove();
                }
            }
            finally
            {
                _inLookup = false;
            }
        }

        _previous?.Invoke(sender, e);
    }
}
