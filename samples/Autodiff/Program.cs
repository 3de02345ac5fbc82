using NeuralNet;

// Stand-in until the autodiff sample lands: shows that the library loads and broadcasts shapes.
Shape a = [2, 1, 3];
Shape b = [4, 1];
Console.WriteLine($"broadcast {a} with {b} -> {Shape.Broadcast(a, b)}");
