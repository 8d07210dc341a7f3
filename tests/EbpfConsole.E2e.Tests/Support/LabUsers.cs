using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests;

/// <summary>The lab is machine-global: tests that use it run one at a time and leave it down at the end.</summary>
[CollectionDefinition(Name)]
public sealed class LabUsers : ICollectionFixture<LabTeardown>
{
    public const string Name = "lab";
}

public sealed class LabTeardown : IDisposable
{
    public void Dispose()
    {
        if (Environment.IsPrivilegedProcess && File.Exists(InstalledConsole.Path))
        {
            InstalledConsole.Run("lab", "down");
        }
    }
}
