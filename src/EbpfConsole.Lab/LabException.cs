namespace EbpfConsole.Lab;

/// <summary>
/// A lab failure meant for the user: the message says what went wrong and what to do. The CLI prints
/// the message only (never a stack trace) and exits with 2.
/// </summary>
public sealed class LabException : Exception
{
    public LabException()
    {
    }

    public LabException(string message)
        : base(message)
    {
    }

    public LabException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
