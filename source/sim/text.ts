// Readable English for the simulated models: sentences picked and ordered by a seeded generator.

const recursion = [
	'Recursion is a way of solving a problem by having a function call itself on a smaller piece of the same problem.',
	'Every recursive function needs a base case, a condition where it stops calling itself and returns a plain answer.',
	'Without a base case, the calls never end and the program eventually runs out of stack space.',
	'The recursive case breaks the problem down, so that each call moves one step closer to the base case.',
	'A classic example is the factorial: the factorial of n is n times the factorial of n minus one, and the factorial of zero is one.',
	'Walking a tree is another natural fit, because each subtree is itself a smaller tree.',
	'Each call gets its own frame on the call stack, holding its arguments and local variables until it returns.',
	'When the base case is reached, the results flow back up the chain of calls and combine into the final answer.',
	'Many recursive solutions can be rewritten as loops, which avoids deep stacks but is sometimes harder to read.',
	'Some languages optimise tail calls, so a function whose last action is calling itself runs in constant stack space.',
	'Divide-and-conquer algorithms such as merge sort and quicksort are built on recursion.',
	'Memoization helps when the same subproblem is solved many times, as in the naive Fibonacci function.',
	'To reason about a recursive function, trust that the smaller call works and check that the step around it is correct.',
	'Mathematical induction and recursion are two sides of the same idea: a base case plus a rule for the next step.',
	'Recursion shines on nested structures like file systems, JSON documents and syntax trees.',
	'The cost of recursion is the overhead of each call and the memory used by the stack.',
	'In short, recursion lets a complex task be described in terms of simpler versions of itself.',
];

const general = [
	'Here is a short explanation that covers the main idea and a practical example.',
	'The key point is to start from the simplest case and build up from there.',
	'It helps to separate what the system must do from how it does it.',
	'A small example often makes an abstract idea much easier to follow.',
	'In practice, the right choice depends on the constraints of the problem at hand.',
	'Measuring before optimising avoids spending effort where it does not matter.',
	'Clear names and small functions make the code easier to read and to change.',
	'Trade-offs are unavoidable: speed, cost and simplicity pull in different directions.',
	'Testing the edge cases early saves time later, when the system is larger.',
	'Good documentation explains why a decision was made, not only what the code does.',
	'Latency is what users feel first, while throughput decides how much work fits in a second.',
	'When in doubt, try the simplest approach, measure it, and improve it step by step.',
	'The same idea appears in many fields, from mathematics to everyday planning.',
	'To summarise, keep the goal in view and let evidence guide each change.',
];

const thinking = [
	'The user wants a concise explanation, so I should keep it short and concrete.',
	'Let me think about which example is the clearest for a beginner.',
	'I should mention the base case early, since that is where most confusion comes from.',
	'A word count of about two hundred means three short paragraphs at most.',
	'I will start with a definition, then give an example, then a caution.',
	'Maybe a comparison with loops will help the reader connect it to what they know.',
	'I need to check that the example is correct before writing the answer.',
];

/** Sentences as they are picked: shuffled, repeated until long enough. */
function pickSentences(sentences: readonly string[], random: () => number, targetChars: number): string[] {
	const order = [...sentences];
	for (let index = order.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[order[index], order[other]] = [order[other]!, order[index]!];
	}

	const picked: string[] = [];
	let length = 0;
	for (let index = 0; length < targetChars; index++) {
		const sentence = order[index % order.length]!;
		picked.push(sentence);
		length += sentence.length + 1;
	}

	return picked;
}

/** Sentences of an answer of at least `targetChars` characters on the prompt's topic (recursion, or general). */
export function answerSentences(prompt: string, random: () => number, targetChars: number): string[] {
	return pickSentences(/recurs/i.test(prompt) ? recursion : general, random, targetChars);
}

/** Sentences of reasoning, as a thinking model streams it before its answer. */
export function reasoningSentences(random: () => number, targetChars: number): string[] {
	return pickSentences(thinking, random, targetChars);
}

export const allSentences: readonly string[] = [...recursion, ...general, ...thinking];
