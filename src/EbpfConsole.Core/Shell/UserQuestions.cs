namespace EbpfConsole.Core.Shell;

/// <summary>
/// Hands questions from background work (an SSH handshake waiting on an unknown host key, a key's passphrase) to the
/// UI, one at a time, and waits for the answer. The UI sees <see cref="Current"/> in its snapshot and answers with
/// <see cref="Answer"/>. Questions asked while one is open wait their turn; each wait has its own limit.
/// </summary>
public sealed class UserQuestions
{
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private long _nextId;
    private Pending? _current;

    /// <summary>The question on screen, or null.</summary>
    public UserQuestion? Current
    {
        get
        {
            lock (_gate)
            {
                return _current?.Question;
            }
        }
    }

    /// <summary>
    /// Asks and blocks the calling (background) thread until answered, <paramref name="timeout"/> passes, or
    /// <paramref name="cancellationToken"/> is cancelled; null means no, skipped, timed out or cancelled.
    /// </summary>
    public string? Ask(string title, string text, QuestionKind kind, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Pending pending;
        lock (_gate)
        {
            pending = new Pending(new UserQuestion(++_nextId, title, text, kind));
            if (_current is null)
            {
                _current = pending;
            }
            else
            {
                _waiting.Enqueue(pending);
            }
        }

        try
        {
            return pending.Answer.Task.Wait(timeout, cancellationToken) ? pending.Answer.Task.Result : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            Withdraw(pending);
        }
    }

    /// <summary>Answers question <paramref name="id"/>; an answer to a question no longer open is ignored.</summary>
    public void Answer(long id, string? answer)
    {
        lock (_gate)
        {
            if (_current?.Question.Id == id)
            {
                _current.Answer.TrySetResult(answer);
            }
        }
    }

    private void Withdraw(Pending pending)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, pending))
            {
                _current = _waiting.Count > 0 ? _waiting.Dequeue() : null;
            }
            else if (_waiting.Contains(pending))
            {
                var rest = _waiting.Where(p => !ReferenceEquals(p, pending)).ToArray();
                _waiting.Clear();
                foreach (var p in rest)
                {
                    _waiting.Enqueue(p);
                }
            }
        }
    }

    private sealed class Pending(UserQuestion question)
    {
        public UserQuestion Question { get; } = question;

        public TaskCompletionSource<string?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
